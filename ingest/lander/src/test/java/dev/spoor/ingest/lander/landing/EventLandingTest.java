package dev.spoor.ingest.lander.landing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.ingest.lander.TestEvents;
import dev.spoor.lake.LakeTables;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.testing.spark.SparkExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Landing micro-batches into a real local Delta table (no Kafka: batches are built in memory). */
@ExtendWith(SparkExtension.class)
class EventLandingTest {
  private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

  @TempDir
  Path lake;

  private EventLanding landing(SparkSession spark) {
    LakeTables.createIfMissing(spark, lake.toString());
    return new EventLanding(lake.toString(), "good", Duration.ofHours(1), TestEvents.PROPERTIES);
  }

  private List<Row> table(SparkSession spark) {
    return spark.read().format("delta").load(lake.resolve("events").toString()).collectAsList();
  }

  @Test
  void duplicatesInABatchAndAcrossBatchesWithinTheHorizonLandOnce(SparkSession spark) {
    EventLanding landing = landing(spark);
    Event a = TestEvents.event(NOW.minusSeconds(60), NOW);
    Event b = TestEvents.event(NOW.minusSeconds(30), NOW);
    Event aRetried = TestEvents.event(a.eventId(), a.userId(), a.derivedTstamp().plusMillis(40), NOW.plusSeconds(600),
        a.eventFingerprint());

    landing.land(TestEvents.kafka(spark, "good", TestEvents.encode(List.of(a, b, a))), 0, "test-app");
    landing.land(TestEvents.kafka(spark, "good", TestEvents.encode(List.of(aRetried, b))), 1, "test-app");

    assertThat(table(spark)).extracting(r -> r.<String>getAs("event_id")).containsExactlyInAnyOrder(a.eventId(), b.eventId());
  }

  @Test
  void reRunningABatchAfterACrashCommitsNothingTwice(SparkSession spark) {
    EventLanding landing = landing(spark);
    Event a = TestEvents.event(NOW.minusSeconds(60), NOW);

    landing.land(TestEvents.kafka(spark, "good", 100, TestEvents.encode(List.of(a))), 7, "test-app");
    long versionAfterFirst = io.delta.tables.DeltaTable.forPath(spark, lake.resolve("events").toString()).history(1)
        .first().getLong(0);
    landing.land(TestEvents.kafka(spark, "good", 100, TestEvents.encode(List.of(a))), 7, "test-app");
    long versionAfterReplay = io.delta.tables.DeltaTable.forPath(spark, lake.resolve("events").toString()).history(1)
        .first().getLong(0);

    assertThat(table(spark)).hasSize(1);
    assertThat(versionAfterReplay).isEqualTo(versionAfterFirst);
  }

  @Test
  void lateEventsLandInTheirOwnOldPartitionAndAreNeverDroppedForTheirAge(SparkSession spark) {
    EventLanding landing = landing(spark);
    Event today = TestEvents.event(NOW.minusSeconds(10), NOW);
    Event fiveDaysLate = TestEvents.event(NOW.minus(Duration.ofDays(5)), NOW.plusSeconds(5));

    landing.land(TestEvents.kafka(spark, "good", TestEvents.encode(List.of(today))), 0, "test-app");
    landing.land(TestEvents.kafka(spark, "good", TestEvents.encode(List.of(fiveDaysLate))), 1, "test-app");

    List<String> dates = new ArrayList<>();
    table(spark).forEach(r -> dates.add(r.getAs("event_date").toString()));
    assertThat(dates).containsExactlyInAnyOrder("2026-11-20", "2026-11-15");
  }

  @Test
  void sameIdWithAnotherFingerprintIsACollisionAndBothAreKept(SparkSession spark) {
    EventLanding landing = landing(spark);
    Event a = TestEvents.event(NOW.minusSeconds(60), NOW);
    Event collision = TestEvents.event(a.eventId(), "u-2", NOW.minusSeconds(50), NOW, "ffffffffffffffffffffffffffffffff");

    landing.land(TestEvents.kafka(spark, "good", TestEvents.encode(List.of(a, collision))), 0, "test-app");

    assertThat(table(spark)).hasSize(2);
  }

  @Test
  void aDuplicateArrivingAfterTheHorizonIsLeftForEventsClean(SparkSession spark) {
    EventLanding landing = landing(spark);
    Event a = TestEvents.event(NOW.minusSeconds(60), NOW);
    Event muchLater = TestEvents.event(a.eventId(), a.userId(), a.derivedTstamp(), NOW.plus(Duration.ofHours(3)),
        a.eventFingerprint());

    landing.land(TestEvents.kafka(spark, "good", TestEvents.encode(List.of(a))), 0, "test-app");
    landing.land(TestEvents.kafka(spark, "good", TestEvents.encode(List.of(muchLater))), 1, "test-app");

    assertThat(table(spark)).hasSize(2);
  }
}
