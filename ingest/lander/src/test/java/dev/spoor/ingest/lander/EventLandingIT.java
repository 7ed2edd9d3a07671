package dev.spoor.ingest.lander;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.ingest.lander.config.LanderConfig;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.stack.testing.UsesLocalStack;
import dev.spoor.testing.spark.SparkExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The landing's de-duplication (streaming state, kept for the horizon of collector time) on real Kafka
 * and Delta: what it drops, what it must never drop.
 */
@UsesLocalStack("kafka")
@ExtendWith(SparkExtension.class)
class EventLandingIT {
  private static LanderConfig topics(Map<String, Object> extra) throws Exception {
    LanderConfig config = LanderIT.config(UUID.randomUUID().toString().substring(0, 8), extra);
    KafkaTopics.create(config.bootstrapServers(), 2, config.goodTopic(), config.badTopic());
    return config;
  }

  private static void produce(LanderConfig config, List<Event> events) throws Exception {
    KafkaTopics.produce(config.bootstrapServers(), config.goodTopic(), events.stream().map(Event::partitionKey).toList(),
        TestEvents.encode(events));
  }

  private static void land(SparkSession spark, LanderConfig config) throws Exception {
    for (StreamingQuery query : LanderJob.start(spark, config, Trigger.AvailableNow())) {
      query.awaitTermination();
      assertThat(query.exception().isEmpty()).as(query.name() + ": " + query.exception()).isTrue();
    }
  }

  private static List<Row> events(SparkSession spark, LanderConfig config) {
    return spark.read().format("delta").load(config.table("events")).collectAsList();
  }

  @Test
  void duplicatesInABatchAndInALaterRunWithinTheHorizonLandOnce(SparkSession spark) throws Exception {
    LanderConfig config = topics(Map.of());
    Instant now = Instant.now();
    Event a = TestEvents.event(now.minusSeconds(60), now);
    Event b = TestEvents.event(now.minusSeconds(30), now);
    Event aRetried = TestEvents.event(a.eventId(), a.userId(), a.derivedTstamp().plusMillis(40), now.plusSeconds(600),
        a.eventFingerprint());

    produce(config, List.of(a, b, a));
    land(spark, config);
    produce(config, List.of(aRetried, b));
    land(spark, config);

    assertThat(events(spark, config)).extracting(r -> r.<String>getAs("event_id"))
        .containsExactlyInAnyOrder(a.eventId(), b.eventId());
  }

  @Test
  void aBacklogWhoseCollectorTimesRunBackwardsAcrossBatchesLosesNothing(SparkSession spark) throws Exception {
    // 20 records a batch, collector times falling by 45 minutes an event: batch after batch lies days
    // behind the newest collector time seen, far beyond the one-hour horizon (a watermark on collector
    // time alone would drop every later batch as late).
    LanderConfig config = topics(Map.of("spoor.lander.max-offsets-per-trigger", 20));
    Instant now = Instant.now();
    List<Event> backlog = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Instant collected = now.minus(Duration.ofMinutes(45L * i));
      backlog.add(TestEvents.event(collected.minusSeconds(5), collected));
    }

    produce(config, backlog);
    land(spark, config);

    assertThat(events(spark, config)).extracting(r -> r.<String>getAs("event_id"))
        .containsExactlyInAnyOrderElementsOf(backlog.stream().map(Event::eventId).toList());
  }

  @Test
  void lateEventsLandInTheirOwnOldPartitionAndAreNeverDroppedForTheirAge(SparkSession spark) throws Exception {
    LanderConfig config = topics(Map.of());
    Instant now = Instant.now();
    Event today = TestEvents.event(now.minusSeconds(10), now);
    Event fiveDaysLate = TestEvents.event(now.minus(Duration.ofDays(5)), now.plusSeconds(5));

    produce(config, List.of(today));
    land(spark, config);
    produce(config, List.of(fiveDaysLate));
    land(spark, config);

    assertThat(events(spark, config)).extracting(r -> r.getAs("event_date").toString())
        .containsExactlyInAnyOrder(today.eventDate().toString(), fiveDaysLate.eventDate().toString());
  }

  @Test
  void sameIdWithAnotherFingerprintIsACollisionAndBothAreKept(SparkSession spark) throws Exception {
    LanderConfig config = topics(Map.of());
    Instant now = Instant.now();
    Event a = TestEvents.event(now.minusSeconds(60), now);
    Event collision = TestEvents.event(a.eventId(), "u-2", now.minusSeconds(50), now, "f".repeat(32));

    produce(config, List.of(a, collision));
    land(spark, config);

    assertThat(events(spark, config)).hasSize(2);
  }
}
