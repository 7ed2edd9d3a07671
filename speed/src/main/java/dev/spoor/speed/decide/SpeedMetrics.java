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

  private SpeedMetrics() {}

  static void decided(long events) {
    DECIDED.addAndGet(events);
    LOOKUPS.incrementAndGet();
  }

  static void outage() {
    OUTAGES.incrementAndGet();
  }

  public static long eventsDecided() {
    return DECIDED.get();
  }

  public static long lookups() {
    return LOOKUPS.get();
  }

  /** Lookups that found the state store unavailable and waited for it. */
  public static long stateStoreOutages() {
    return OUTAGES.get();
  }
}
