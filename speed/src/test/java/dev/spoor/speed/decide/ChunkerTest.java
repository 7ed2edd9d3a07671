package dev.spoor.speed.decide;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  /** Input of a long-running task: asking for more than has arrived fails the test (it would wait). */
  private static Iterator<Integer> arrived(int... elements) {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        if (next == elements.length) {
          throw new AssertionError("asked for an element that has not arrived: the task would wait");
        }
        return true;
      }

      @Override
      public Integer next() {
        if (next == elements.length) {
          throw new NoSuchElementException();
        }
        return elements[next++];
      }
    };
  }

  @Test
  void aChunkEndsAtTheFirstElementThatEndsItWithoutWaitingForMore() {
    Chunker<Integer> chunker = new Chunker<>(100, e -> e < 0);
    Iterator<Integer> input = arrived(1, 2, -3, 4, -5);
    assertThat(chunker.next(input)).containsExactly(1, 2, -3);
    assertThat(chunker.next(input)).containsExactly(4, -5);
  }

  @Test
  void behindTheStreamChunksFillUpToTheirSize() {
    Chunker<Integer> chunker = new Chunker<>(3, e -> false);
    Iterator<Integer> input = List.of(1, 2, 3, 4, 5, 6, 7).iterator();
    assertThat(chunker.next(input)).containsExactly(1, 2, 3);
    assertThat(chunker.next(input)).containsExactly(4, 5, 6);
    assertThat(chunker.next(input)).containsExactly(7);
    assertThat(chunker.next(input)).isEmpty();
  }
}
