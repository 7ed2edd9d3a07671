package dev.spoor.ingest.model.enrich;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The event time Spoor uses everywhere: {@code derived = collector − (sent − created)} when the device
 * gave both times, else the collector time; a tracker's {@code true_tstamp} wins when present.
 *
 * <p>The device clock may be wrong, but the interval between creating and sending an event is measured
 * on one clock, so subtracting it from the trusted collector time cancels the device's offset. Two
 * clamps keep hostile or broken devices from moving events arbitrarily: a negative interval (sent
 * before created) counts as zero, an interval longer than {@code maxOffline} counts as
 * {@code maxOffline}; both are flagged, as are device times in the future or before 2000. A
 * {@code true_tstamp} in the future or before 2000 is not believed: the collector time is used, flagged.
 */
public final class DerivedTimestamp {
  /** Device times this far ahead of the collector are flagged as being in the future. */
  static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(10);
  private static final Instant IMPLAUSIBLY_OLD = Instant.parse("2000-01-01T00:00:00Z");

  private DerivedTimestamp() {}

  /** The derived time and the quality flags raised while deriving it. */
  public record Derived(Instant tstamp, List<String> flags) {
    public Derived {
      flags = List.copyOf(flags);
    }
  }

  public static Derived derive(Instant collector, Instant created, Instant sent, Instant trueTstamp,
      Duration maxOffline) {
    List<String> flags = new ArrayList<>();
    flagImplausible("dvce_created_tstamp", created, collector, flags);
    flagImplausible("dvce_sent_tstamp", sent, collector, flags);
    if (trueTstamp != null) {
      if (trueTstamp.isAfter(collector.plus(FUTURE_TOLERANCE))) {
        flags.add("true_tstamp_in_future_clamped");
        return new Derived(collector, flags);
      }
      if (trueTstamp.isBefore(IMPLAUSIBLY_OLD)) {
        flags.add("true_tstamp_implausibly_old_clamped");
        return new Derived(collector, flags);
      }
      return new Derived(trueTstamp, flags);
    }
    if (created == null || sent == null) {
      return new Derived(collector, flags);
    }
    Duration offline = Duration.between(created, sent);
    if (offline.isNegative()) {
      flags.add("dvce_sent_before_created_clamped");
      offline = Duration.ZERO;
    } else if (offline.compareTo(maxOffline) > 0) {
      flags.add("dvce_offline_too_long_clamped");
      offline = maxOffline;
    }
    return new Derived(collector.minus(offline), flags);
  }

  private static void flagImplausible(String field, Instant value, Instant collector, List<String> flags) {
    if (value == null) {
      return;
    }
    if (value.isAfter(collector.plus(FUTURE_TOLERANCE))) {
      flags.add(field + "_in_future");
    } else if (value.isBefore(IMPLAUSIBLY_OLD)) {
      flags.add(field + "_implausibly_old");
    }
  }
}
