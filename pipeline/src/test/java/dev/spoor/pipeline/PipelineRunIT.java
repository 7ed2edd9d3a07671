package dev.spoor.pipeline;

import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.batch.BatchMain;
import dev.spoor.batch.config.BatchConfig;
import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.JobRunner;
import dev.spoor.batch.run.RunOptions;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.EventJson;
import dev.spoor.lake.LakeTables;
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
import java.nio.charset.StandardCharsets;
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
 * The pipeline runner's two ways to run Spark jobs, and the cluster: {@code bin/spoor run daily --only
 * sessionize --master spark://…} submits the job to the test stack's standalone cluster (the master
 * lists it as a finished application) and the table it writes equals what the job writes in local
 * mode in this JVM; the whole daily pipeline in one Spark application (the local default) writes,
 * row by row, the tables that each job in its own {@code spark-submit} ({@code --submit-each}) writes.
 * The notebooks over the daily's tables are {@code DemoIT}'s.
 */
@UsesLocalStack({"spark", "hbase"})
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

  /** The events as the lander writes them to {@code events} (JSON fields plus landing columns). */
  private static Dataset<Row> eventsTable(SparkSession spark, List<Event> events) {
    List<String> json = events.stream().map(e -> new String(EventJson.encode(e), StandardCharsets.UTF_8)).toList();
    return spark.read().schema(LakeTables.EVENT_JSON).json(spark.createDataset(json, Encoders.STRING()))
        .withColumn("kafka_partition", lit(0)).withColumn("kafka_offset", lit(0L))
        .withColumn("landed_at", current_timestamp());
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

  /** The shop's events, with redelivered copies, landed and cleaned in local mode (in this JVM) under {@code lake}. */
  private static List<Event> cleaned(SparkSession spark, Path lake, String run) {
    List<Event> events = shop(60, 7);
    List<Event> delivered = new ArrayList<>(events);
    delivered.addAll(events.subList(0, 25)); // at-least-once: redelivered copies
    eventsTable(spark, delivered).write().format("delta").partitionBy("event_date")
        .save(lake.resolve(LakeTables.EVENTS).toString());
    BatchConfig config = BatchConfig.from(TestStackConfig.config(), TestStackConfig.home());
    JobRunner runner = new JobRunner(spark, lake.toString());
    for (BatchJob job : BatchMain.jobs(config).get("clean")) {
      assertThat(runner.run(job, new RunOptions(job.name(), "local-" + run, AS_OF, false)).status())
          .isEqualTo("succeeded");
    }
    assertThat(spark.read().format("delta").load(lake.resolve("events_clean").toString()).count())
        .isEqualTo(events.size());
    return events;
  }

  /** The environment of a run of the CLI over its own lake, Trino schema and HBase namespace. */
  private static Map<String, String> environment(Path lake, String name) {
    return Map.of("SPOOR_LAKE_ROOT", lake.toString(), "SPOOR_TRINO_SCHEMA", name, "SPOOR_STATE_NAMESPACE", name);
  }

  @Test
  void aDailyJobOnTheStandaloneClusterWritesWhatLocalModeWrites(SparkSession spark) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path lake = dir.resolve("lake");
    cleaned(spark, lake, run);
    BatchConfig config = BatchConfig.from(TestStackConfig.config(), TestStackConfig.home());
    JobRunner runner = new JobRunner(spark, lake.toString());
    for (BatchJob job : BatchMain.jobs(config).get("sessionize")) {
      assertThat(runner.run(job, new RunOptions(job.name(), "local-" + run, AS_OF, false)).status())
          .isEqualTo("succeeded");
    }

    // The same sessionize through the runner, spark-submit and the standalone cluster, over a copy of
    // the cleaned events.
    Path onCluster = dir.resolve("on-cluster");
    copyTree(lake.resolve("events_clean"), onCluster.resolve("events_clean"));
    String master = "spark://127.0.0.1:" + TestStackConfig.environment().get("SPOOR_SPARK_MASTER_PORT");
    SpoorCommand.Result daily = SpoorCommand.run(environment(onCluster, "pipe_cluster_" + run), Duration.ofMinutes(10),
        "run", "daily", "--only", "sessionize", "--master", master, "--run-id", "d-" + run, "--retries", "0");
    assertThat(daily.exitCode()).as(daily.output()).isZero();
    assertThat(summaryLine(daily.output(), "sessionize")).contains("succeeded");
    assertThat(summaryLine(daily.output(), "funnels")).contains("not run: not selected");
    Set<String> applications = new LinkedHashSet<>();
    sparkMaster().path("completedapps").forEach(app -> applications.add(app.path("name").asText()));
    assertThat(applications).as("applications the standalone master ran").contains("spoor-batch-sessionize");
    var sessionsOnCluster = spark.read().format("delta").load(onCluster.resolve("sessions").toString());
    var sessionsLocally = spark.read().format("delta").load(lake.resolve("sessions").toString());
    assertThat(sessionsOnCluster.count()).isPositive();
    DatasetAssertions.assertSameRows(sessionsOnCluster, sessionsLocally);
  }

  @Test
  void theWholeDailyInOneApplicationWritesWhatEachJobInItsOwnSparkSubmitWrites(SparkSession spark) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path lake = dir.resolve("lake");
    cleaned(spark, lake, run);
    Map<String, Path> lakes = new java.util.LinkedHashMap<>();
    for (String mode : List.of("one-app", "submit-each")) {
      Path copy = dir.resolve(mode);
      copyTree(lake.resolve("events_clean"), copy.resolve("events_clean"));
      List<String> args = new ArrayList<>(List.of("run", "daily", "--as-of", AS_OF.toString(), "--run-id",
          mode + "-" + run, "--retries", "0"));
      if (mode.equals("submit-each")) {
        args.add("--submit-each");
      }
      SpoorCommand.Result daily = SpoorCommand.run(environment(copy, "pipe_" + mode.replace('-', '_') + "_" + run),
          Duration.ofMinutes(10), args.toArray(String[]::new));
      assertThat(daily.exitCode()).as(daily.output()).isZero();
      assertThat(daily.output().contains("Spark jobs run in this application, one after another"))
          .as(mode + ":\n" + daily.output()).isEqualTo(mode.equals("one-app"));
      for (String job : List.of("sessionize", "funnels", "features", "score", "segments", "publish")) {
        assertThat(summaryLine(daily.output(), job)).as(mode + " " + job).contains("succeeded");
      }
      lakes.put(mode, copy);
    }

    for (String table : List.of("sessions", "funnel_progress", "user_features", "user_scores", "user_segments")) {
      var oneApp = spark.read().format("delta").load(lakes.get("one-app").resolve(table).toString());
      var submitted = spark.read().format("delta").load(lakes.get("submit-each").resolve(table).toString());
      assertThat(oneApp.count()).as(table).isPositive();
      DatasetAssertions.assertSameRows(oneApp, submitted);
    }
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
