package dev.spoor.speed;

import dev.spoor.speed.decide.SpeedMetrics;
import dev.spoor.state.table.StateTables;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * One line per speed-layer micro-batch from Spark's progress reports: input rows, records out, how
 * long the batch took and its phases (as Spark measures them), and events per second; and a warning
 * when the speed view holds events no publish has covered for more than half its TTL. The same figures
 * go to Prometheus metrics (batches, events in, records out, batch duration, Kafka lag).
 */
public final class SpeedProgress extends StreamingQueryListener {
  private static final Counter BATCHES = Counter.builder("spoor_speed_batches")
      .description("Micro-batches that read events").register(SpeedMetrics.registry());
  private static final Counter INPUT = Counter.builder("spoor_speed_input_events")
      .description("Events read from the good topic (Spark's progress)").register(SpeedMetrics.registry());
  private static final Counter OUTPUT = Counter.builder("spoor_speed_output_records")
      .description("Records the rules wrote to Kafka (Spark's progress)").register(SpeedMetrics.registry());
  private static final Timer DURATION = Timer.builder("spoor_speed_batch_duration")
      .description("Micro-batch duration, trigger to commit, over the last minute")
      .publishPercentiles(0.5, 0.99).distributionStatisticExpiry(Duration.ofMinutes(1)).register(SpeedMetrics.registry());
  private static final Map<String, AtomicLong> LAG = new ConcurrentHashMap<>();
  private final Consumer<String> log;

  public SpeedProgress(Consumer<String> log) {
    this.log = log;
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {
    // the start is announced by SpeedMain
  }

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    var p = event.progress();
    if (!"spoor-speed".equals(p.name())) {
      return;
    }
    for (var source : p.sources()) {
      // Spark's Kafka source reports min/avg/maxOffsetsBehindLatest in each progress.
      source.metrics().forEach((name, value) -> {
        if (name.endsWith("OffsetsBehindLatest")) {
          lag(name.substring(0, name.length() - "OffsetsBehindLatest".length())).set((long) Double.parseDouble(value));
        }
      });
    }
    if (p.numInputRows() == 0) {
      return;
    }
    log.accept(String.format(Locale.ROOT, "speed batch %d: %d events, %s; %.0f events/s; durations %s",
        p.batchId(), p.numInputRows(), p.sink().numOutputRows() < 0 ? "records out unknown"
            : p.sink().numOutputRows() + " records out", p.processedRowsPerSecond(), p.durationMs()));
    BATCHES.increment();
    INPUT.increment(p.numInputRows());
    OUTPUT.increment(Math.max(0, p.sink().numOutputRows()));
    Long total = p.durationMs().get("triggerExecution");
    if (total != null) {
      DURATION.record(total, TimeUnit.MILLISECONDS);
    }
    SpeedMetrics.takeOldestUncovered(Instant.now()).flatMap(since -> ttlWarning(since, Instant.now())).ifPresent(log);
  }

  /** The gauge of how far behind the good topic's end the speed layer is, by statistic over partitions (min, avg, max). */
  private static AtomicLong lag(String stat) {
    return LAG.computeIfAbsent(stat, s -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder("spoor_speed_kafka_offsets_behind_latest", value, AtomicLong::get).tag("stat", s)
          .description("Records per partition between the speed layer's last batch and the good topic's end")
          .register(SpeedMetrics.registry());
      return value;
    });
  }

  /**
   * A warning when the oldest speed-view event no committed publish covers was recorded more than half
   * the speed view's TTL ago: the batch view is overdue, and once the TTL passes its cells expire
   * uncovered and the speed layer undercounts.
   */
  public static Optional<String> ttlWarning(Instant oldestUncovered, Instant now) {
    Duration age = Duration.between(oldestUncovered, now);
    Duration ttl = Duration.ofSeconds(StateTables.SPEED_TTL_SECONDS);
    if (age.compareTo(ttl.dividedBy(2)) <= 0) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT, "speed WARNING: the speed view holds events recorded %.1f days ago that no"
        + " committed batch view covers; its cells expire %d days after they are recorded, and the speed layer would then"
        + " undercount: publish a batch view (bin/spoor run daily)", age.toHours() / 24.0, ttl.toDays()));
  }

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {
    if (event.exception().isDefined()) {
      log.accept("speed query stopped: " + event.exception().get());
    }
  }
}
