package dev.spoor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.spoor.batch.BatchMain;
import dev.spoor.batch.config.BatchConfig;
import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.JobRunner;
import dev.spoor.batch.run.RunOptions;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.lake.LakeSettings;
import dev.spoor.lake.TrinoRegistry;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline runner, the standalone cluster and the notebooks on the test stack: {@code run hourly}
 * lands generated shop events (redelivered, out of order) from Kafka and cleans them; the daily jobs
 * run in local mode in this JVM; {@code run daily --only sessionize --master spark://…} runs a job
 * through spark-submit on the local Spark standalone cluster (its master lists the application) and
 * writes exactly what local mode wrote; the notebooks then execute against Trino over the lake. (The
 * whole daily graph through the runner is {@code DemoIT}'s.)
 */
@UsesLocalStack({"kafka", "trino", "spark"})
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

  @Test
  void hourlyLandsAJobOnTheStandaloneClusterEqualsLocalModeAndTheNotebooksRun(SparkSession spark) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path lake = dir.resolve("lake");
    Map<String, String> env = new HashMap<>();
    env.put("SPOOR_TOPIC_GOOD", "it.pipe.good." + run);
    env.put("SPOOR_TOPIC_BAD", "it.pipe.bad." + run);
    env.put("SPOOR_LAKE_ROOT", lake.toString());
    env.put("SPOOR_CHECKPOINT_DIR", dir.resolve("checkpoints").toString());
    env.put("SPOOR_STATE_NAMESPACE", "pipe_" + run);
    env.put("SPOOR_TRINO_SCHEMA", "pipe_" + run);
    TestTraffic.createTopics(Map.of(env.get("SPOOR_TOPIC_GOOD"), 2, env.get("SPOOR_TOPIC_BAD"), 1));
    List<Event> events = shop(60, 7);
    List<Event> delivered = new ArrayList<>(events);
    delivered.addAll(events.subList(0, 25)); // at-least-once: redelivered
    Collections.shuffle(delivered, new Random(3)); // and out of order
    TestTraffic.produce(env.get("SPOOR_TOPIC_GOOD"), delivered);

    SpoorCommand.Result hourly = SpoorCommand.run(env, Duration.ofMinutes(10), "run", "hourly", "--run-id", "h-" + run,
        "--retries", "0");
    assertThat(hourly.exitCode()).as(hourly.output()).isZero();
    assertThat(summaryLine(hourly.output(), "land")).contains("succeeded").contains(String.valueOf(delivered.size()));
    assertThat(summaryLine(hourly.output(), "clean")).contains("succeeded");
    assertThat(spark.read().format("delta").load(lake.resolve("events_clean").toString()).count())
        .as("each event once in events_clean").isEqualTo(events.size());

    // The daily jobs in local mode, in this JVM; their tables go to Trino for the notebooks.
    Path home = TestStackConfig.home();
    BatchConfig config = BatchConfig.from(TestStackConfig.config(), home);
    JobRunner runner = new JobRunner(spark, lake.toString());
    Map<String, List<BatchJob>> jobs = BatchMain.jobs(config);
    Map<String, String> tables = new java.util.LinkedHashMap<>();
    for (String verb : List.of("sessionize", "funnels", "features", "score", "segments")) {
      for (BatchJob job : jobs.get(verb)) {
        assertThat(runner.run(job, new RunOptions(job.name(), "local-" + run, AS_OF, false)).status())
            .isEqualTo("succeeded");
        tables.put(job.output(), lake.resolve(job.output()).toString());
      }
    }
    LakeSettings settings = LakeSettings.from(ConfigFactory.parseMap(Map.of("spoor.lake.root", lake.toString(),
        "spoor.trino.schema", env.get("SPOOR_TRINO_SCHEMA"))).withFallback(TestStackConfig.config()).resolve());
    new TrinoRegistry(settings).register(tables);

    // One job of the daily graph through the runner, spark-submit and the standalone cluster, over a copy
    // of the cleaned events: the master lists it, and its table equals the one of local mode.
    Path onCluster = dir.resolve("on-cluster");
    copyTree(lake.resolve("events_clean"), onCluster.resolve("events_clean"));
    Map<String, String> clusterEnv = new HashMap<>(env);
    clusterEnv.put("SPOOR_LAKE_ROOT", onCluster.toString());
    clusterEnv.put("SPOOR_TRINO_SCHEMA", "pipe_cluster_" + run);
    String master = "spark://127.0.0.1:" + TestStackConfig.environment().get("SPOOR_SPARK_MASTER_PORT");
    SpoorCommand.Result daily = SpoorCommand.run(clusterEnv, Duration.ofMinutes(10), "run", "daily", "--only", "sessionize",
        "--master", master, "--run-id", "d-" + run, "--retries", "0");
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

    Path notebooks = dir.resolve("notebooks");
    SpoorCommand.Result executed = SpoorCommand.run(env, Duration.ofMinutes(10), "notebooks", "--out", notebooks.toString());
    assertThat(executed.exitCode()).as(executed.output()).isZero();
    try (Stream<Path> files = Files.list(notebooks)) {
      List<Path> outputs = files.filter(f -> f.toString().endsWith(".ipynb")).toList();
      assertThat(outputs).hasSize(3);
      for (Path notebook : outputs) {
        String text = Files.readString(notebook, StandardCharsets.UTF_8);
        assertThat(text).as(notebook + " has plots").contains("\"image/png\"");
        assertThat(text).as(notebook + " has no errors").doesNotContain("\"output_type\": \"error\"");
      }
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
