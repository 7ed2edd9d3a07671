package dev.spoor.batch.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.batch.EventRows;
import dev.spoor.batch.clean.CleanJob;
import dev.spoor.batch.session.SessionizeJob;
import dev.spoor.testing.spark.DatasetAssertions;
import dev.spoor.testing.spark.SparkExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Jobs run end to end on a local Delta lake: outputs, idempotent re-runs, the batch_runs record. */
@ExtendWith(SparkExtension.class)
class JobRunnerTest {
  @TempDir
  Path lake;

  private void events(SparkSession spark) {
    new EventRows()
        .add("a1", "alice", "page_view", "2026-11-20T10:00:00Z", "https://shop.example/")
        .add("a1", "alice", "page_view", "2026-11-20T10:00:00Z", "https://shop.example/")
        .add("a2", "alice", "purchase", "2026-11-20T11:00:00Z", "https://shop.example/thanks")
        .add("b1", "bob", "page_view", "2026-11-21T09:00:00Z", null)
        .dataset(spark).write().format("delta").partitionBy("event_date").save(lake.resolve("events").toString());
  }

  private Dataset<Row> table(SparkSession spark, String name) {
    return spark.read().format("delta").load(lake.resolve(name).toString());
  }

  @Test
  void cleanThenSessionizeWriteTheirTablesAndReRunningARunIdChangesNothing(SparkSession spark) {
    events(spark);
    JobRunner runner = new JobRunner(spark, lake.toString());
    RunOptions clean = new RunOptions("clean", "run-1", LocalDate.of(2026, 11, 21), true);
    RunOptions sessionize = new RunOptions("sessionize", "run-1", LocalDate.of(2026, 11, 21), true);

    assertThat(runner.run(new CleanJob(), clean).rows()).isEqualTo(3);
    assertThat(runner.run(new SessionizeJob(Duration.ofMinutes(30)), sessionize).rows()).isEqualTo(3);
    List<List<Object>> sessionsBefore = DatasetAssertions.rows(table(spark, "sessions").drop("events_by_name"));
    long cleanVersion = io.delta.tables.DeltaTable.forPath(spark, lake.resolve("events_clean").toString())
        .history(1).first().getLong(0);

    runner.run(new CleanJob(), clean);
    runner.run(new SessionizeJob(Duration.ofMinutes(30)), sessionize);

    assertThat(io.delta.tables.DeltaTable.forPath(spark, lake.resolve("events_clean").toString()).history(1)
        .first().getLong(0)).as("the re-run committed nothing").isEqualTo(cleanVersion);
    assertThat(DatasetAssertions.rows(table(spark, "sessions").drop("events_by_name")))
        .containsExactlyInAnyOrderElementsOf(sessionsBefore);
    List<Row> runs = table(spark, "batch_runs").orderBy("started_at").collectAsList();
    assertThat(runs).as("a run id that succeeded is not run again").hasSize(2)
        .allSatisfy(r -> assertThat(r.<String>getAs("status")).isEqualTo("succeeded"));
    assertThat(runs.get(0).<scala.collection.Map<String, Object>>getAs("input_versions").contains("events")).isTrue();
    assertThat(runs.get(0).<Long>getAs("rows_written")).isEqualTo(3L);
  }

  @Test
  void theAsOfDateBoundsWhatIsCleaned(SparkSession spark) {
    events(spark);

    long rows = new JobRunner(spark, lake.toString())
        .run(new CleanJob(), new RunOptions("clean", "run-2", LocalDate.of(2026, 11, 20), true)).rows();

    assertThat(rows).isEqualTo(2);
  }
}
