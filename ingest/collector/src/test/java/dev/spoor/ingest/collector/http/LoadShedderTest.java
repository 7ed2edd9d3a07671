package dev.spoor.ingest.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoadShedderTest {
  @Test
  void beyondTheLimitRequestsAreRefusedUntilAPlaceIsGivenBack() {
    LoadShedder shedder = new LoadShedder(2);

    assertThat(shedder.tryEnter()).isTrue();
    assertThat(shedder.tryEnter()).isTrue();
    assertThat(shedder.tryEnter()).isFalse();
    shedder.leave();
    assertThat(shedder.tryEnter()).isTrue();
    assertThat(shedder.inFlight()).isEqualTo(2);
  }

  @Test
  void manyThreadsNeverHoldMoreThanTheLimit() throws Exception {
    LoadShedder shedder = new LoadShedder(8);
    AtomicInteger most = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch done = new CountDownLatch(16);
    for (int t = 0; t < 16; t++) {
      pool.execute(() -> {
        for (int i = 0; i < 10_000; i++) {
          if (shedder.tryEnter()) {
            most.accumulateAndGet(shedder.inFlight(), Math::max);
            shedder.leave();
          }
        }
        done.countDown();
      });
    }
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    pool.shutdown();
    assertThat(most.get()).isLessThanOrEqualTo(8);
    assertThat(shedder.inFlight()).isZero();
  }
}
