package dev.spoor.bench.collector;

import dev.spoor.bench.LatencyRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Load at a fixed arrival rate (open loop): request {@code i} is due at {@code start + i / rate}
 * whether or not earlier ones have been answered, and its latency is measured from when it was due,
 * so time spent waiting for a free client counts (no coordinated omission). {@code clients} threads
 * each own one client (an HTTP connection, or a producer caller); when all are busy, due requests
 * wait and their latency grows, which is what saturation looks like.
 */
final class OpenLoop {
  /** One client of the load: makes the i-th request and says whether its answer was good. */
  interface Client extends AutoCloseable {
    boolean call(long i) throws Exception;

    @Override
    default void close() {}
  }

  /** What one step measured. */
  record Step(double offeredPerSecond, double seconds, long sent, long good, long failed, LatencyRecorder latency) {
    /** Good requests per second, over the time from the first due request to the last answer. */
    double goodPerSecond() {
      return good / seconds;
    }

    double p50() {
      return latency.percentileMillis(0.50);
    }

    double p99() {
      return latency.percentileMillis(0.99);
    }
  }

  private OpenLoop() {}

  static Step run(double perSecond, double seconds, int clients, IntFunction<Client> client) throws Exception {
    long total = (long) (perSecond * seconds);
    double interval = 1e9 / perSecond;
    LatencyRecorder latency = new LatencyRecorder();
    AtomicLong next = new AtomicLong();
    AtomicLong good = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long start = System.nanoTime() + 50_000_000; // every thread started before the first request is due
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < clients; w++) {
      int worker = w;
      workers.add(pool.submit(() -> {
        try (Client c = client.apply(worker)) {
          for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
            long due = start + (long) (i * interval);
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
              LockSupport.parkNanos(wait);
            }
            boolean ok;
            try {
              ok = c.call(i);
            } catch (Exception e) {
              ok = false;
            }
            latency.record(System.nanoTime() - due);
            (ok ? good : failed).incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    double elapsed = Math.max(seconds, (System.nanoTime() - start) / 1e9);
    pool.shutdown();
    return new Step(perSecond, elapsed, total, good.get(), failed.get(), latency);
  }
}
