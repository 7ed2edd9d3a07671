package dev.spoor.speed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * One line per speed-layer micro-batch from Spark's progress reports: input rows, records out, how
 * long the batch took and its phases (as Spark measures them), and events per second; and a warning
 * when the speed view holds events no publish has covered for more than half its TTL. The same figures
 * go to Prometheus metrics (batches, events in, records out, batch duration, Kafka lag: records beyond the last batch).
 */
public final class SpeedProgress extends StreamingQueryListener {
  private static final Counter BATCHES = Counter.builder("spoor_speed_batches")
      .description("Micro-batches that read events").register(SpeedMetrics.registry());
  private static final Counter INPUT = Counter.builder("spoor_speed_input_events")
      .description("Events read from the good topic (Spark's progress)").register(SpeedMetrics.registry());
  private static final Counter OUTPUT = Counter.builder("spoor_speed_output_records")
      .description("Records the rules wrote to Kafka (Spark's progress)").register(SpeedMetrics.registry());
  private static final Timer DURATION = Timer.builder("spoor_speed_batch_duration")
      .description("Batch duration, trigger to commit (real-time: the checkpoint interval), over the last minute")
      .publishPercentiles(0.5, 0.99).distributionStatisticExpiry(Duration.ofMinutes(1)).register(SpeedMetrics.registry());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong LAG = new AtomicLong();

  static {
    Gauge.builder("spoor_speed_kafka_lag", LAG, AtomicLong::get).baseUnit("records")
        .description("Records of the good topic beyond the speed layer's last batch when it was planned (all partitions)")
        .register(SpeedMetrics.registry());
  }
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
      lag(source.endOffset(), source.latestOffset()).ifPresent(LAG::set);
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

  /**
   * Records between what a batch read and the topic's end when it was planned: for each partition, its
   * latest offset minus the batch's end offset (Spark's offsets JSON, {"topic":{"0":42}}), summed.
   */
  static Optional<Long> lag(String endOffset, String latestOffset) {
    if (endOffset == null || latestOffset == null) {
      return Optional.empty();
    }
    try {
      JsonNode end = JSON.readTree(endOffset);
      JsonNode latest = JSON.readTree(latestOffset);
      long lag = 0;
      for (var topic : (Iterable<Map.Entry<String, JsonNode>>) latest::fields) {
        for (var partition : (Iterable<Map.Entry<String, JsonNode>>) topic.getValue()::fields) {
          long read = end.path(topic.getKey()).path(partition.getKey()).asLong(0);
          lag += Math.max(0, partition.getValue().asLong() - read);
        }
      }
      return Optional.of(lag);
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
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
