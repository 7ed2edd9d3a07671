package dev.spoor.speed.decide;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The speed layer's counters in this JVM (the driver's in local mode, each executor's on a cluster):
 * events decided, state lookups, and the times a lookup met an unavailable state store.
 */
public final class SpeedMetrics {
  private static final AtomicLong DECIDED = new AtomicLong();
  private static final AtomicLong LOOKUPS = new AtomicLong();
  private static final AtomicLong OUTAGES = new AtomicLong();
  private static final AtomicLong RECORD_NANOS = new AtomicLong();
  private static final AtomicLong READ_NANOS = new AtomicLong();

  private SpeedMetrics() {}

  static void decided(long events) {
    DECIDED.addAndGet(events);
    LOOKUPS.incrementAndGet();
  }

  static void timed(long recordNanos, long readNanos) {
    RECORD_NANOS.addAndGet(recordNanos);
    READ_NANOS.addAndGet(readNanos);
  }

  /** Time spent recording events in the speed view and reading state, in ms (over all lookups). */
  public static String timings() {
    return String.format(java.util.Locale.ROOT, "%d lookups of %d events: recording %.0f ms, reading state %.0f ms",
        LOOKUPS.get(), DECIDED.get(), RECORD_NANOS.get() / 1e6, READ_NANOS.get() / 1e6);
  }

  static void outage() {
    OUTAGES.incrementAndGet();
  }

  public static long eventsDecided() {
    return DECIDED.get();
  }

  /** Lookups that found the state store unavailable and waited for it. */
  public static long stateStoreOutages() {
    return OUTAGES.get();
  }
}
