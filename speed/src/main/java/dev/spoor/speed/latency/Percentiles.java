package dev.spoor.speed.latency;

import java.util.Arrays;

/** p50/p95/p99 of a batch of latencies (nearest rank), in milliseconds. */
public record Percentiles(long count, double p50, double p95, double p99, double max) {
  public static final Percentiles NONE = new Percentiles(0, 0, 0, 0, 0);

  public static Percentiles of(long[] millis) {
    if (millis.length == 0) {
      return NONE;
    }
    long[] sorted = millis.clone();
    Arrays.sort(sorted);
    return new Percentiles(sorted.length, rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99),
        sorted[sorted.length - 1]);
  }

  private static double rank(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  @Override
  public String toString() {
    return count == 0 ? "no notifications" : String.format(java.util.Locale.ROOT,
        "%d notifications, collector→produced p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms", count, p50, p95, p99, max);
  }
}
