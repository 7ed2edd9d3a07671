package dev.spoor.speed.decide;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the speed layer's tasks measure in this JVM (the driver's in local mode, each executor's on a
 * cluster), as Prometheus meters in this JVM's {@link #registry} (the speed layer serves it, see
 * {@code SpeedMain}): events decided and their decision latency (collector time to the state being
 * attached in the task; the Kafka write follows), state lookups and their time, lookups that met an
 * unavailable state store, and the age of the oldest speed-view event no committed publish covers.
 */
public final class SpeedMetrics {
  private static final PrometheusMeterRegistry REGISTRY = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private static final Counter DECIDED = Counter.builder("spoor_speed_events_decided")
      .description("Events decided (state attached, rules evaluated) in this JVM's tasks").register(REGISTRY);
  private static final Counter OUTAGES = Counter.builder("spoor_speed_state_store_outages")
      .description("State lookups that found the state store unavailable and waited for it").register(REGISTRY);
  private static final Timer RECORDING = lookupTimer("record");
  private static final Timer READING = lookupTimer("read");
  private static final Timer LATENCY = Timer.builder("spoor_speed_decision_latency")
      .description("Collector time to decision, per event, over the last minute")
      .publishPercentiles(0.5, 0.9, 0.99).distributionStatisticExpiry(Duration.ofMinutes(1)).register(REGISTRY);
  private static final AtomicLong OLDEST_UNCOVERED = new AtomicLong(Long.MAX_VALUE);
  private static final AtomicLong UNCOVERED_AGE_MILLIS = new AtomicLong();

  static {
    Gauge.builder("spoor_speed_oldest_uncovered_age", UNCOVERED_AGE_MILLIS, a -> a.get() / 1000.0).baseUnit("seconds")
        .description("Age of the oldest speed-view event no committed batch view covers (its cells expire after the TTL)")
        .register(REGISTRY);
  }

  private SpeedMetrics() {}

  private static Timer lookupTimer(String phase) {
    return Timer.builder("spoor_speed_state_lookup").tag("phase", phase)
        .description("State lookups (one per chunk of events): recording them in the speed view, reading state")
        .register(REGISTRY);
  }

  /** This JVM's registry of speed-layer meters (the driver's progress meters join it). */
  public static PrometheusMeterRegistry registry() {
    return REGISTRY;
  }

  static void decided(long events) {
    DECIDED.increment(events);
  }

  static void latency(long millis) {
    LATENCY.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }

  static void timed(long recordNanos, long readNanos) {
    RECORDING.record(recordNanos, TimeUnit.NANOSECONDS);
    READING.record(readNanos, TimeUnit.NANOSECONDS);
  }

  static void outage() {
    OUTAGES.increment();
  }

  static void uncoveredSince(Instant recorded) {
    OLDEST_UNCOVERED.accumulateAndGet(recorded.toEpochMilli(), Math::min);
  }

  /** Time spent recording events in the speed view and reading state, in ms (over all lookups). */
  public static String timings() {
    return String.format(Locale.ROOT, "%d lookups of %.0f events: recording %.0f ms, reading state %.0f ms",
        RECORDING.count(), DECIDED.count(), RECORDING.totalTime(TimeUnit.MILLISECONDS), READING.totalTime(TimeUnit.MILLISECONDS));
  }

  public static long eventsDecided() {
    return (long) DECIDED.count();
  }

  /** Lookups that found the state store unavailable and waited for it. */
  public static long stateStoreOutages() {
    return (long) OUTAGES.count();
  }

  /**
   * When the oldest speed-view event that no committed publish covers was recorded, among the users
   * looked up since the last {@link #takeOldestUncovered}: the speed view's TTL counts from there.
   */
  public static Optional<Instant> oldestUncovered() {
    long millis = OLDEST_UNCOVERED.get();
    return millis == Long.MAX_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  /**
   * {@link #oldestUncovered}, then a new window (the progress report takes it once per batch); the
   * age gauge shows the window's value until the next one.
   */
  public static Optional<Instant> takeOldestUncovered(Instant now) {
    Optional<Instant> oldest = oldestUncovered();
    OLDEST_UNCOVERED.set(Long.MAX_VALUE);
    UNCOVERED_AGE_MILLIS.set(oldest.map(o -> Duration.between(o, now).toMillis()).orElse(0L));
    return oldest;
  }
}
