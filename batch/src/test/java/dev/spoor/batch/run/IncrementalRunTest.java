package dev.spoor.batch.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.batch.EventRows;
import dev.spoor.batch.clean.CleanJob;
import dev.spoor.batch.clean.EventsClean;
import dev.spoor.batch.session.Sessionize;
import dev.spoor.batch.session.SessionizeJob;
import dev.spoor.testing.spark.DatasetAssertions;
import dev.spoor.testing.spark.SparkExtension;
import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental runs: only the scope that changed is recomputed, only differing rows are written, and
 * the result equals a full recomputation.
 */
@ExtendWith(SparkExtension.class)
class IncrementalRunTest {
  private static final LocalDate AS_OF = LocalDate.of(2026, 11, 21);
  private static final Duration GAP = Duration.ofMinutes(30);

  @TempDir
  Path lake;

  private String path(String table) {
    return lake.resolve(table).toString();
  }

  private void append(SparkSession spark, EventRows rows) {
    rows.dataset(spark).write().format("delta").mode("append").partitionBy("event_date").save(path("events"));
  }

  private long version(SparkSession spark, String table) {
    return DeltaTable.forPath(spark, path(table)).history(1).first().getLong(0);
  }

  private static EventRows first() {
    return new EventRows()
        .add("a1", "alice", "page_view", "2026-11-20T10:00:00Z", "https://shop.example/")
        .add("a2", "alice", "page_view", "2026-11-20T10:10:00Z", "https://shop.example/p")
        .add("b1", "bob", "page_view", "2026-11-20T12:00:00Z", "https://shop.example/");
  }

  private static EventRows later() {
    return new EventRows()
        // alice: a late event from the day before (its own session).
        .add("a0", "alice", "page_view", "2026-11-19T08:00:00Z", "https://shop.example/old")
        // bob: a redelivered copy of b1, collected later (same id and fingerprint).
        .add(Map.of("event_id", "b1", "user_id", "bob", "event_name", "page_view", "derived_tstamp", "2026-11-20T12:00:00Z",
            "collector_tstamp", "2026-11-21T00:00:05Z", "page_url", "https://shop.example/"))
        // carol: new.
        .add("c1", "carol", "page_view", "2026-11-21T09:00:00Z", "https://shop.example/");
  }

  @Test
  void aRunAfterNewAndLateEventsRecomputesOnlyTheirScopeAndEqualsAFullRun(SparkSession spark) {
    append(spark, first());
    JobRunner runner = new JobRunner(spark, lake.toString());
    assertThat(runner.run(new CleanJob(), new RunOptions("clean", "r1", AS_OF, false)).mode()).isEqualTo("full");
    runner.run(new SessionizeJob(GAP), new RunOptions("sessionize", "r1", AS_OF, false));
    long sessionsBefore = version(spark, "sessions");

    append(spark, later());
    JobRunner.Outcome clean = runner.run(new CleanJob(), new RunOptions("clean", "r2", AS_OF, false));
    JobRunner.Outcome sessionize = runner.run(new SessionizeJob(GAP), new RunOptions("sessionize", "r2", AS_OF, false));

    assertThat(clean.mode()).isEqualTo("incremental");
    assertThat(clean.scopeSize()).as("event ids a0, b1, c1").isEqualTo(3);
    assertThat(clean.changes()).as("the redelivered b1 changes nothing").isEqualTo(new DiffMerge.Changes(2, 0, 0));
    assertThat(sessionize.mode()).isEqualTo("incremental");
    assertThat(sessionize.scopeSize()).as("alice and carol; bob is untouched").isEqualTo(2);
    // alice's late event is a session of its own before the existing one: one insert, and the old
    // session's index moves from 1 to 2 (an update). carol: one insert.
    assertThat(sessionize.changes()).isEqualTo(new DiffMerge.Changes(2, 1, 0));
    // The MERGE source (a recomputation over cached scope values, joined with the target) is not a
    // deterministic Delta-only plan, so Delta's default ("auto") materialises it before merging: the
    // MERGE's own metric says it did, and what it cost.
    Row merge = DeltaTable.forPath(spark, path("sessions")).history(1).first();
    assertThat(merge.<String>getAs("operation")).isEqualTo("MERGE");
    assertThat(Long.parseLong(merge.<scala.collection.Map<String, String>>getAs("operationMetrics")
        .get("materializeSourceTimeMs").get())).as("the source was materialised").isPositive();
    List<String> changedUsers = spark.read().format("delta").option("readChangeFeed", "true")
        .option("startingVersion", sessionsBefore + 1).load(path("sessions"))
        .select("user_key").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(changedUsers).containsExactlyInAnyOrder("alice", "carol");

    Dataset<Row> allEvents = spark.read().format("delta").load(path("events"));
    Dataset<Row> expectedClean = EventsClean.clean(allEvents);
    DatasetAssertions.assertSameRows(spark.read().format("delta").load(path("events_clean")).select(columns(expectedClean)),
        expectedClean);
    DatasetAssertions.assertSameRows(
        spark.read().format("delta").load(path("sessions")).drop("events_by_name"),
        Sessionize.sessions(expectedClean, GAP).drop("events_by_name"));
  }

  private static org.apache.spark.sql.Column[] columns(Dataset<Row> dataset) {
    return java.util.Arrays.stream(dataset.columns()).map(org.apache.spark.sql.functions::col)
        .toArray(org.apache.spark.sql.Column[]::new);
  }

  @Test
  void nothingNewMeansNothingWrittenAndTheSameRunIdIsNotRunTwice(SparkSession spark) {
    append(spark, first());
    JobRunner runner = new JobRunner(spark, lake.toString());
    runner.run(new CleanJob(), new RunOptions("clean", "r1", AS_OF, false));
    long before = version(spark, "events_clean");

    JobRunner.Outcome unchanged = runner.run(new CleanJob(), new RunOptions("clean", "r2", AS_OF, false));
    append(spark, later());
    JobRunner.Outcome again = runner.run(new CleanJob(), new RunOptions("clean", "r2", AS_OF, false));

    assertThat(unchanged.scopeSize()).isZero();
    assertThat(again.status()).isEqualTo("already-succeeded");
    assertThat(version(spark, "events_clean")).isEqualTo(before);
  }

  @Test
  void movingTheAsOfDateBringsInTheDaysItCrosses(SparkSession spark) {
    append(spark, first());
    append(spark, later());
    JobRunner runner = new JobRunner(spark, lake.toString());
    runner.run(new CleanJob(), new RunOptions("clean", "r1", LocalDate.of(2026, 11, 19), false));
    assertThat(spark.read().format("delta").load(path("events_clean")).count()).isEqualTo(1);

    JobRunner.Outcome moved = runner.run(new CleanJob(), new RunOptions("clean", "r2", AS_OF, false));

    assertThat(moved.mode()).isEqualTo("incremental");
    assertThat(moved.changes().inserted()).isEqualTo(4); // a1, a2, b1 (one copy), c1
    assertThat(spark.read().format("delta").load(path("events_clean")).count()).isEqualTo(5);
  }

  @Test
  void theTablesAJobWritesForgetTheirTransactionIdsAfterTheRetryWindow(SparkSession spark) {
    append(spark, first());
    JobRunner runner = new JobRunner(spark, lake.toString());
    runner.run(new CleanJob(), new RunOptions("clean", "r1", AS_OF, false));
    runner.run(new SessionizeJob(GAP), new RunOptions("sessionize", "r1", AS_OF, false));

    for (String table : List.of("events_clean", "sessions")) {
      Map<String, String> properties = spark.sql("DESCRIBE DETAIL delta.`" + path(table) + "`")
          .select("properties").first().getJavaMap(0);
      assertThat(properties).as(table).containsEntry("delta.setTransactionRetentionDuration", "interval 7 days");
    }
  }

  @Test
  void archivingOldPartitionsChangesNoOutputIncrementallyOrInAFullRun(SparkSession spark) {
    append(spark, first());
    append(spark, later());
    JobRunner runner = new JobRunner(spark, lake.toString());
    runner.run(new CleanJob(), new RunOptions("clean", "r1", AS_OF, false));
    runner.run(new SessionizeJob(GAP), new RunOptions("sessionize", "r1", AS_OF, false));
    List<Row> cleanBefore = spark.read().format("delta").load(path("events_clean")).collectAsList();
    List<Row> sessionsBefore = spark.read().format("delta").load(path("sessions")).collectAsList();

    // What `lake archive --older-than` does: the old days to the archive, then out of events.
    spark.read().format("delta").load(path("events")).filter("event_date < DATE '2026-11-20'")
        .write().format("delta").partitionBy("event_date").save(path("_archive/events"));
    DeltaTable.forPath(spark, path("events")).delete("event_date < DATE '2026-11-20'");
    runner.run(new CleanJob(), new RunOptions("clean", "r2", AS_OF, false));
    runner.run(new SessionizeJob(GAP), new RunOptions("sessionize", "r2", AS_OF, false));

    DatasetAssertions.assertSameRows(spark.read().format("delta").load(path("events_clean")),
        spark.createDataFrame(cleanBefore, spark.read().format("delta").load(path("events_clean")).schema()));
    DatasetAssertions.assertSameRows(spark.read().format("delta").load(path("sessions")),
        spark.createDataFrame(sessionsBefore, spark.read().format("delta").load(path("sessions")).schema()));

    runner.run(new CleanJob(), new RunOptions("clean", "r3", AS_OF, true));
    assertThat(spark.read().format("delta").load(path("events_clean")).count()).as("a full run reads the archive too")
        .isEqualTo(cleanBefore.size());
  }

  @Test
  void aBackfillOfAnOldDayComputesExactlyWhatTheRunOnThatDayComputed(SparkSession spark) {
    LocalDate day = LocalDate.of(2026, 11, 19);
    EventRows onTime = new EventRows()
        .add("d1", "dora", "page_view", "2026-11-19T10:00:00Z", "https://shop.example/")
        .add("d2", "dora", "page_view", "2026-11-19T10:20:00Z", "https://shop.example/p");
    // Known only later: an event of the 19th that reached the collector on the 21st, and the 20th's.
    EventRows later = new EventRows()
        .add(Map.of("event_id", "d3", "user_id", "dora", "event_name", "page_view", "derived_tstamp", "2026-11-19T10:25:00Z",
            "collector_tstamp", "2026-11-21T08:00:00Z", "page_url", "https://shop.example/late"))
        .add("d4", "dora", "page_view", "2026-11-20T09:00:00Z", "https://shop.example/");

    // The run on the 19th saw what had arrived by then.
    append(spark, onTime);
    JobRunner runner = new JobRunner(spark, lake.toString());
    runner.run(new CleanJob(), new RunOptions("clean", "on-the-day", day, false));
    runner.run(new SessionizeJob(GAP), new RunOptions("sessionize", "on-the-day", day, false));
    List<Row> sessionsThen = spark.read().format("delta").load(path("sessions")).collectAsList();

    // Weeks later, a backfill of the 19th over everything that has arrived since, with new run ids.
    append(spark, later);
    runner.run(new CleanJob(), new RunOptions("clean", "today", LocalDate.of(2026, 11, 21), false));
    runner.run(new SessionizeJob(GAP), new RunOptions("sessionize", "backfill", day, false));

    DatasetAssertions.assertSameRows(spark.read().format("delta").load(path("sessions")),
        spark.createDataFrame(sessionsThen, spark.read().format("delta").load(path("sessions")).schema()));
    assertThat(spark.read().format("delta").load(path("events_clean")).count()).as("clean as of today has all four")
        .isEqualTo(4);
  }
}
