package dev.spoor.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** Latencies of one benchmark scenario, recorded from many threads, summarised as percentiles. */
public final class LatencyRecorder {
  private final long[] nanos;
  private final AtomicInteger next = new AtomicInteger();

  public LatencyRecorder(int capacity) {
    this.nanos = new long[capacity];
  }

  public void record(long elapsedNanos) {
    int i = next.getAndIncrement();
    if (i < nanos.length) {
      nanos[i] = elapsedNanos;
    }
  }

  /** The q-quantile (0..1) in milliseconds, nearest-rank. */
  public double percentileMillis(double q) {
    int n = Math.min(next.get(), nanos.length);
    if (n == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(nanos, n);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * n) - 1;
    return sorted[Math.max(0, Math.min(n - 1, rank))] / 1_000_000.0;
  }
}
