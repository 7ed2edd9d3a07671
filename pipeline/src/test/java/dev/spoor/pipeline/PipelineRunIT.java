package dev.spoor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.stack.testing.SpoorCommand;
import dev.spoor.stack.testing.TestStackConfig;
import dev.spoor.stack.testing.TestTraffic;
import dev.spoor.stack.testing.UsesLocalStack;
import dev.spoor.testing.spark.DatasetAssertions;
import dev.spoor.testing.spark.SparkExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three ways to run the pipelines write the same tables. Airflow itself ({@code bin/spoor airflow dags
 * test}) runs the hourly DAG over traffic in Kafka (each event once in {@code events_clean}) and the daily DAG, whose tasks each run
 * their job in its own {@code spark-submit}; the daily writes, row by row, the tables the runner's
 * daily in one Spark application (the local default) writes, and records the run's id and as-of day;
 * {@code bin/spoor run daily --only sessionize --master spark://…} submits the job to the test stack's
 * standalone cluster (the master lists it as a finished application) and writes the same sessions.
 * The notebooks over the daily's tables are {@code DemoIT}'s.
 */
@UsesLocalStack({"kafka", "spark", "hbase"})
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

  private static JsonNode sparkMaster() throws Exception {
    int port = Integer.parseInt(TestStackConfig.environment().get("SPOOR_SPARK_MASTER_UI_PORT"));
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/json/")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(response.body());
  }

  /** The summary line of a job: "JOB  STATUS ..." as printed by bin/spoor run. */
  private static String summaryLine(String output, String job) {
    return output.lines().filter(l -> l.startsWith(job + " ")).reduce((a, b) -> b).orElse("");
  }

  /** The environment of a run of the CLI over its own lake, Trino schema and HBase namespace. */
  private static Map<String, String> environment(Path lake, String name) {
    return Map.of("SPOOR_LAKE_ROOT", lake.toString(), "SPOOR_TRINO_SCHEMA", name, "SPOOR_STATE_NAMESPACE", name);
  }

  /** Runs a DAG of airflow/dags once with Airflow's own {@code airflow dags test}, for the given run date. */
  private static SpoorCommand.Result airflowDagsTest(Map<String, String> env, String dag, String date) {
    SpoorCommand.Result result = SpoorCommand.run(env, Duration.ofMinutes(12), "airflow", "dags", "test", dag, date);
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).as(dag).containsPattern("DagRun Finished: dag_id=" + dag + ",.* state=success");
    return result;
  }

  @Test
  void airflowTheRunnerAndTheClusterWriteTheSameTables(SparkSession spark) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<Event> events = shop(60, 7);
    List<Event> delivered = new ArrayList<>(events);
    delivered.addAll(events.subList(0, 25)); // at-least-once: redelivered copies
    Path lake = dir.resolve("airflow-lake");
    Map<String, String> env = new java.util.HashMap<>(environment(lake, "pipe_airflow_" + run));
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

    // Over copies of those cleaned events: the runner's daily in one Spark application (the local
    // default), and its sessionize submitted to the test stack's standalone cluster.
    Path runnerLake = dir.resolve("runner-lake");
    copyTree(lake.resolve("events_clean"), runnerLake.resolve("events_clean"));
    SpoorCommand.Result runner = SpoorCommand.run(environment(runnerLake, "pipe_runner_" + run), Duration.ofMinutes(10),
        "run", "daily", "--as-of", AS_OF.toString(), "--run-id", "runner-" + run, "--retries", "0");
    assertThat(runner.exitCode()).as(runner.output()).isZero();
    assertThat(runner.output()).contains("Spark jobs run in this application, one after another");
    Path clusterLake = dir.resolve("cluster-lake");
    copyTree(lake.resolve("events_clean"), clusterLake.resolve("events_clean"));
    String master = "spark://127.0.0.1:" + TestStackConfig.environment().get("SPOOR_SPARK_MASTER_PORT");
    SpoorCommand.Result onCluster = SpoorCommand.run(environment(clusterLake, "pipe_cluster_" + run),
        Duration.ofMinutes(10), "run", "daily", "--only", "sessionize", "--master", master, "--as-of", AS_OF.toString(),
        "--run-id", "cluster-" + run, "--retries", "0");
    assertThat(onCluster.exitCode()).as(onCluster.output()).isZero();
    assertThat(summaryLine(onCluster.output(), "sessionize")).contains("succeeded");
    assertThat(summaryLine(onCluster.output(), "funnels")).contains("not run: not selected");
    Set<String> applications = new LinkedHashSet<>();
    sparkMaster().path("completedapps").forEach(app -> applications.add(app.path("name").asText()));
    assertThat(applications).as("applications the standalone master ran").contains("spoor-batch-sessionize");

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
      var byRunner = spark.read().format("delta").load(runnerLake.resolve(table).toString());
      assertThat(byRunner.count()).as(table).isPositive();
      DatasetAssertions.assertSameRows(byAirflow, byRunner);
    }
    DatasetAssertions.assertSameRows(spark.read().format("delta").load(clusterLake.resolve("sessions").toString()),
        spark.read().format("delta").load(lake.resolve("sessions").toString()));
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : paths.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }
}
