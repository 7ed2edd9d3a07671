package dev.spoor.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Latencies of one benchmark scenario, recorded from many threads, summarised as percentiles: every
 * percentile the benchmarks report comes from here (HdrHistogram, 3 significant digits, up to an hour).
 */
public final class LatencyRecorder {
  private final ConcurrentHistogram histogram = new ConcurrentHistogram(TimeUnit.HOURS.toNanos(1), 3);

  public void record(long elapsedNanos) {
    histogram.recordValue(Math.max(0, Math.min(elapsedNanos, histogram.getHighestTrackableValue())));
  }

  public long count() {
    return histogram.getTotalCount();
  }

  /** The q-quantile (0..1) in milliseconds; NaN when nothing was recorded. */
  public double percentileMillis(double q) {
    if (histogram.getTotalCount() == 0) {
      return Double.NaN;
    }
    return histogram.getValueAtPercentile(q * 100) / 1_000_000.0;
  }
}
