package dev.spoor.speed.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PrefetcherTest {
  private static final Integer END = -1;

  /** A long-running task's input: elements arrive when the test offers them; hasNext waits for the next one. */
  private static final class Arriving implements Iterator<Integer> {
    final BlockingQueue<Integer> arrivals = new LinkedBlockingQueue<>();
    private Integer next;

    @Override
    public boolean hasNext() {
      if (next == null) {
        try {
          next = arrivals.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      return !next.equals(END);
    }

    @Override
    public Integer next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Integer value = next;
      next = null;
      return value;
    }
  }

  @Test
  @Timeout(10)
  void aChunkIsWhatHasArrivedWithoutWaitingForMore() {
    Arriving input = new Arriving();
    try (Prefetcher<Integer> prefetcher = new Prefetcher<>(input, 100, "test-input")) {
      input.arrivals.add(1);
      // Nothing else arrives: the chunk is the one event, at once (waiting to fill it would hang the test).
      assertThat(prefetcher.next(100)).containsExactly(1);
      input.arrivals.addAll(List.of(2, 3, 4));
      List<Integer> taken = new ArrayList<>();
      while (taken.size() < 3) {
        taken.addAll(prefetcher.next(100));
      }
      assertThat(taken).containsExactly(2, 3, 4);
      input.arrivals.add(END);
      assertThat(prefetcher.next(100)).isEmpty();
    }
  }

  @Test
  @Timeout(10)
  void behindTheStreamAChunkTakesEverythingThatArrivedUpToItsSize() {
    Arriving input = new Arriving();
    for (int i = 0; i < 10; i++) {
      input.arrivals.add(i);
    }
    try (Prefetcher<Integer> prefetcher = new Prefetcher<>(input, 4, "test-input")) {
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (input.arrivals.size() > 5 && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // the reader fills its queue (4) and holds one more, waiting to put it
      }
      assertThat(prefetcher.next(3)).containsExactly(0, 1, 2);
    }
  }

  @Test
  @Timeout(10)
  void aFailureReadingTheInputFailsTheTask() {
    Iterator<Integer> broken = new Iterator<>() {
      @Override
      public boolean hasNext() {
        throw new IllegalStateException("Kafka is gone");
      }

      @Override
      public Integer next() {
        throw new NoSuchElementException();
      }
    };
    try (Prefetcher<Integer> prefetcher = new Prefetcher<>(broken, 4, "test-input")) {
      assertThatThrownBy(() -> prefetcher.next(4)).hasMessageContaining("Kafka is gone");
    }
  }
}
