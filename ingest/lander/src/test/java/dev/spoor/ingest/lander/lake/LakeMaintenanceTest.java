package dev.spoor.ingest.lander.lake;

import dev.spoor.lake.LakeSettings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.ingest.lander.TestEvents;
import dev.spoor.ingest.lander.landing.KafkaDecoding;
import dev.spoor.lake.LakeTables;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.testing.spark.SparkExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Archive, compaction and vacuum on a real local Delta lake. */
@ExtendWith(SparkExtension.class)
class LakeMaintenanceTest {
  private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 20);

  @TempDir
  Path lake;

  private LakeSettings settings() {
    return new LakeSettings(lake.toString(), lake.resolve("_archive").toString(), Duration.ofDays(7),
        "jdbc:trino://127.0.0.1:1/delta", "delta", "spoor", "spoor", null);
  }

  /** 10 events on each of the last 6 days. */
  private void landSixDays(SparkSession spark) {
    LakeTables.createIfMissing(spark, lake.toString());
    List<Event> events = new ArrayList<>();
    for (int day = 0; day < 6; day++) {
      for (int i = 0; i < 10; i++) {
        events.add(TestEvents.event(NOW.minus(Duration.ofDays(day)).minusSeconds(i), NOW));
      }
    }
    KafkaDecoding.events(KafkaDecoding.decodeEvents(TestEvents.kafka(spark, "good", TestEvents.encode(events)),
        TestEvents.PROPERTIES)).write().format("delta").mode("append").save(lake.resolve("events").toString());
  }

  @Test
  void archiveMovesOldPartitionsAfterProvingTheCountsAndAReRunMovesNothingTwice(SparkSession spark) {
    landSixDays(spark);
    LakeMaintenance maintenance = new LakeMaintenance(spark, settings());

    LakeMaintenance.Archived archived = maintenance.archive(3, TODAY);
    LakeMaintenance.Archived again = maintenance.archive(3, TODAY);

    assertThat(archived.rowsByDate()).isEqualTo(Map.of(LocalDate.of(2026, 11, 15), 10L, LocalDate.of(2026, 11, 16), 10L));
    assertThat(again.total()).isZero();
    var hot = spark.read().format("delta").load(lake.resolve("events").toString());
    var cold = spark.read().format("delta").load(lake.resolve("_archive/events").toString());
    assertThat(hot.count()).isEqualTo(40);
    assertThat(hot.filter("event_date < DATE '2026-11-17'").count()).isZero();
    assertThat(cold.count()).isEqualTo(20);
    assertThat(cold.filter("event_date >= DATE '2026-11-17'").count()).isZero();
    assertThat(cold.select("event_id").distinct().count()).isEqualTo(20);
  }

  @Test
  void compactionAndVacuumKeepEveryRow(SparkSession spark) {
    landSixDays(spark);
    LakeMaintenance maintenance = new LakeMaintenance(spark, settings());

    maintenance.compact();
    maintenance.archive(3, TODAY);
    spark.range(3).selectExpr("CAST(id AS STRING) AS user_key").write().format("delta").save(lake.resolve("sessions").toString());

    // Every table that can hold a user is vacuumed, the archive's too (an erasure's rows go from all).
    assertThat(maintenance.vacuum()).containsExactlyInAnyOrder(lake.resolve("events").toString(),
        lake.resolve("bad_events").toString(), lake.resolve("sessions").toString(),
        lake.resolve("_archive/events").toString());
    assertThat(spark.read().format("delta").load(lake.resolve("events").toString()).count()
        + spark.read().format("delta").load(lake.resolve("_archive/events").toString()).count()).isEqualTo(60);
  }

  @Test
  void trinoLocationsNameLocalPathsWithItsLocalFileSystem() {
    assertThat(LakeSettings.trinoLocation("/work/var/lake/events")).isEqualTo("local:///work/var/lake/events");
    assertThat(LakeSettings.trinoLocation("file:/work/var/lake/events")).isEqualTo("local:///work/var/lake/events");
    assertThat(LakeSettings.trinoLocation("s3a://bucket/lake/events")).isEqualTo("s3a://bucket/lake/events");
  }
}
