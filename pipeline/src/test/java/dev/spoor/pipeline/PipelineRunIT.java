package dev.spoor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.ingest.model.event.Event;
import dev.spoor.stack.testing.SpoorCommand;
import dev.spoor.stack.testing.TestStackConfig;
import dev.spoor.stack.testing.TestTraffic;
import dev.spoor.stack.testing.UsesLocalStack;
import dev.spoor.testing.spark.DatasetAssertions;
import dev.spoor.testing.spark.SparkExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ways to run the pipelines, on three kinds of lake, write the same tables. Airflow itself
 * ({@code bin/spoor airflow dags test}) runs the hourly DAG over traffic in Kafka (each event once in
 * {@code events_clean}) and the daily DAG, whose tasks each run their job in its own
 * {@code spark-submit}, on a lake in a local directory. The runner ({@code bin/spoor run hourly}, then
 * {@code daily}, in one Spark application each: the local default) lands the same topic and runs the
 * same jobs on a lake on the test stack's HDFS ({@code SPOOR_LAKE_ROOT=hdfs://…}) and on one in its
 * object store ({@code s3a://…}, the client settings in {@code HADOOP_CONF_DIR}), nothing else changed:
 * each lake's {@code events_clean} and every daily table equal Airflow's row by row, and it records the
 * run's id and as-of day. The demo on an {@code hdfs://} lake, with every job on a standalone cluster
 * that loses nodes, is {@code ScaleOutIT}'s; the notebooks
 * over the daily's tables are {@code DemoIT}'s.
 */
@UsesLocalStack({"kafka", "hbase", "hdfs", "s3"})
@ExtendWith(SparkExtension.class)
class PipelineRunIT {
  private static final LocalDate FIRST_DAY = LocalDate.of(2026, 11, 9);
  private static final LocalDate AS_OF = LocalDate.of(2026, 11, 15);

  @TempDir
  Path dir;

  /** A small shop: users with visits over a week; each visit browses and maybe buys. */
  private static List<Event> shop(int users, long seed) {
    Random random = new Random(seed);
    List<Event> events = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      String user = String.format("user-%03d", u);
      int visits = 1 + random.nextInt(4);
      for (int v = 0; v < visits; v++) {
        Instant at = FIRST_DAY.plusDays(random.nextInt(6)).atStartOfDay(ZoneOffset.UTC).toInstant()
            .plusSeconds(3600L * (8 + random.nextInt(12)) + random.nextInt(3600));
        events.addAll(TestTraffic.visit(user, at, random.nextInt(5), 20 + random.nextInt(200)));
      }
    }
    return events;
  }

  /** The environment of a run of the CLI over its own lake, Trino schema and HBase namespace. */
  private static Map<String, String> environment(Object lake, String name) {
    return Map.of("SPOOR_LAKE_ROOT", lake.toString(), "SPOOR_TRINO_SCHEMA", name, "SPOOR_STATE_NAMESPACE", name);
  }

  /** A lake root of this test in the test stack's object store. */
  private static String s3Lake(String run, String name) {
    return "s3a://" + TestStackConfig.stackConfig().s3().bucket() + "/it/pipeline-" + run + "/" + name;
  }

  /**
   * The runner's hourly (landing the topic Airflow landed, cleaning) and daily on {@code lake}, with
   * {@code env}'s topics: its events_clean and daily tables must equal Airflow's row by row.
   */
  private static void runnerPipelines(SparkSession spark, Map<String, String> env, String lake, Path airflowLake,
      String run) {
    SpoorCommand.Result hourly = SpoorCommand.run(env, Duration.ofMinutes(10),
        "run", "hourly", "--run-id", "runner-hourly-" + run, "--retries", "0");
    assertThat(hourly.exitCode()).as(hourly.output()).isZero();
    DatasetAssertions.assertSameRows(spark.read().format("delta").load(lake + "/events_clean").drop("landed_at"),
        spark.read().format("delta").load(airflowLake.resolve("events_clean").toString()).drop("landed_at"));
    SpoorCommand.Result daily = SpoorCommand.run(env, Duration.ofMinutes(10),
        "run", "daily", "--as-of", AS_OF.toString(), "--run-id", "runner-" + run, "--retries", "0");
    assertThat(daily.exitCode()).as(daily.output()).isZero();
    assertThat(daily.output()).contains("Spark jobs run in this application, one after another");
  }

  /** Runs a DAG of airflow/dags once with Airflow's own {@code airflow dags test}, for the given run date. */
  private static SpoorCommand.Result airflowDagsTest(Map<String, String> env, String dag, String date) {
    SpoorCommand.Result result = SpoorCommand.run(env, Duration.ofMinutes(12), "airflow", "dags", "test", dag, date);
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).as(dag).containsPattern("DagRun Finished: dag_id=" + dag + ",.* state=success");
    return result;
  }

  @Test
  void airflowAndTheRunnerOnHdfsAndObjectStoreLakesWriteTheSameTables(SparkSession spark) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<Event> events = shop(60, 7);
    List<Event> delivered = new ArrayList<>(events);
    delivered.addAll(events.subList(0, 25)); // at-least-once: redelivered copies
    Path lake = dir.resolve("airflow-lake");
    Map<String, String> env = new HashMap<>(environment(lake, "pipe_airflow_" + run));
    env.put("SPOOR_TOPIC_GOOD", "it.pipe.good." + run);
    env.put("SPOOR_TOPIC_BAD", "it.pipe.bad." + run);
    env.put("AIRFLOW_HOME", dir.resolve("airflow-home").toString());
    TestTraffic.createTopics(Map.of(env.get("SPOOR_TOPIC_GOOD"), 2, env.get("SPOOR_TOPIC_BAD"), 1));
    TestTraffic.produce(env.get("SPOOR_TOPIC_GOOD"), delivered);

    // Airflow's hourly DAG: land what Kafka holds, then clean: every event once.
    airflowDagsTest(env, "spoor_hourly", "2026-11-16T01:00:00+00:00");
    Dataset<Row> clean = spark.read().format("delta").load(lake.resolve("events_clean").toString());
    assertThat(clean.count()).isEqualTo(events.size());
    assertThat(clean.select("event_id").as(Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrderElementsOf(events.stream().map(Event::eventId).toList());

    // The runner, on a lake on HDFS and on a lake in the object store (s3a://, its client settings in
    // HADOOP_CONF_DIR), side by side (independent lakes and HBase namespaces; one topic, read by each
    // lake's own checkpoints): the hourly lands the same topic and cleans, the daily runs in one Spark
    // application (the local default).
    Path s3Client = TestStackConfig.stackConfig().serviceDir("s3").resolve("client-conf");
    spark.sparkContext().hadoopConfiguration().addResource(new org.apache.hadoop.fs.Path(s3Client.resolve("core-site.xml").toUri()));
    Map<String, String> lakes = Map.of(
        TestStackConfig.stackConfig().hdfs().uri() + "/it/pipeline-" + run + "/runner-lake", "pipe_runner_hdfs_" + run,
        s3Lake(run, "runner-lake"), "pipe_runner_s3_" + run);
    ExecutorService pool = Executors.newFixedThreadPool(lakes.size());
    List<CompletableFuture<Void>> runners = new ArrayList<>();
    for (Map.Entry<String, String> runnerLake : lakes.entrySet()) {
      Map<String, String> runnerEnv = new HashMap<>(environment(runnerLake.getKey(), runnerLake.getValue()));
      runnerEnv.put("SPOOR_TOPIC_GOOD", env.get("SPOOR_TOPIC_GOOD"));
      runnerEnv.put("SPOOR_TOPIC_BAD", env.get("SPOOR_TOPIC_BAD"));
      runnerEnv.put("HADOOP_CONF_DIR", s3Client.toString());
      runners.add(CompletableFuture.runAsync(() -> runnerPipelines(spark, runnerEnv, runnerLake.getKey(), lake, run), pool));
    }
    try {
      CompletableFuture.allOf(runners.toArray(CompletableFuture[]::new)).get(20, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof AssertionError assertion ? assertion : new AssertionError(e.getCause());
    } finally {
      pool.shutdownNow();
    }

    // Airflow's daily run of 16 November (each task its job's bin/spoor batch, i.e. spark-submit)
    // covers the 15th: every job recorded the run under Airflow's run id, those taking --as-of the 15th.
    airflowDagsTest(env, "spoor_daily", "2026-11-16T02:30:00+00:00");
    List<Row> runs = spark.read().format("delta").load(lake.resolve("batch_runs").toString())
        .filter("run_id = 'spoor_daily-20261116T023000'").select("job", "status", "as_of").collectAsList();
    assertThat(runs).extracting(r -> r.getString(0))
        .containsAll(List.of("sessionize", "funnels", "features", "score", "segments", "publish"));
    assertThat(runs).allSatisfy(r -> assertThat(r.getString(1)).as(r.getString(0)).isEqualTo("succeeded"));
    assertThat(runs).filteredOn(r -> List.of("sessionize", "funnels", "features").contains(r.getString(0)))
        .extracting(r -> r.getDate(2).toLocalDate()).containsOnly(AS_OF).hasSize(3);

    for (String table : List.of("sessions", "funnel_progress", "user_features", "user_scores", "user_segments")) {
      var byAirflow = spark.read().format("delta").load(lake.resolve(table).toString());
      for (String runnerLake : lakes.keySet()) {
        var byRunner = spark.read().format("delta").load(runnerLake + "/" + table);
        assertThat(byRunner.count()).as(runnerLake + "/" + table).isPositive();
        DatasetAssertions.assertSameRows(byAirflow, byRunner);
      }
    }
  }
}
