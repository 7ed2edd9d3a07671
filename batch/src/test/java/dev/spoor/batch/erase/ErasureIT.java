package dev.spoor.batch.erase;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.batch.BatchMain;
import dev.spoor.batch.config.BatchConfig;
import dev.spoor.batch.publish.PublishJob;
import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.JobRunner;
import dev.spoor.batch.run.RunOptions;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.lake.Erasures;
import dev.spoor.stack.testing.SpoorCommand;
import dev.spoor.stack.testing.TestStackConfig;
import dev.spoor.stack.testing.TestTraffic;
import dev.spoor.stack.testing.UsesLocalStack;
import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.testing.spark.SparkExtension;
import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/spoor erase USER_ID} over a real lake, archive, Trino and HBase: alice's events, her bad
 * row, her archived events, her batch rows and her published state are there; after the erasure none
 * are (in Spark, in Trino, in the state store), nobody else lost a row, the erasure is logged by hash,
 * and neither Kafka redelivering her old events nor the next batch run brings her back.
 */
@UsesLocalStack({"kafka", "hbase", "trino"})
@ExtendWith(SparkExtension.class)
class ErasureIT {
  private static final LocalDate AS_OF = LocalDate.now(ZoneOffset.UTC);
  private static final List<String> BATCH = List.of("clean", "sessionize", "funnels", "features", "score", "segments");

  @TempDir
  Path dir;

  private static List<Event> traffic(String user, LocalDate day, int visits) {
    List<Event> events = new ArrayList<>();
    for (int v = 0; v < visits; v++) {
      Instant at = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600L * (9 + v));
      events.addAll(TestTraffic.visit(user, at, 3, 150));
    }
    return events;
  }

  private static long rows(SparkSession spark, String location, Column of) {
    return spark.read().format("delta").load(location).filter(of).count();
  }

  private void runBatch(SparkSession spark, BatchConfig config, Path lake, String runId) {
    JobRunner runner = new JobRunner(spark, lake.toString());
    Map<String, List<BatchJob>> jobs = BatchMain.jobs(config);
    for (String verb : BATCH) {
      for (BatchJob job : jobs.get(verb)) {
        assertThat(runner.run(job, new RunOptions(job.name(), runId, AS_OF, false)).status()).isEqualTo("succeeded");
      }
    }
  }

  /** Rows of the user in every table that holds users: events by user_id, the rest by user_key. */
  private Map<String, Long> presence(SparkSession spark, Path lake, String user) {
    Column byEvent = col("user_id").equalTo(lit(user));
    Column byKey = col("user_key").equalTo(lit(user));
    Map<String, Long> found = new LinkedHashMap<>();
    found.put("events", rows(spark, lake.resolve("events").toString(), byEvent));
    found.put("events_clean", rows(spark, lake.resolve("events_clean").toString(), byEvent));
    found.put("bad_events", rows(spark, lake.resolve("bad_events").toString(), UserErasure.badRowsOf(user)));
    found.put("archive/events", rows(spark, lake.resolve("_archive/events").toString(), byEvent));
    for (String table : List.of("sessions", "funnel_progress", "user_features", "user_scores", "user_segments")) {
      found.put(table, rows(spark, lake.resolve(table).toString(), byKey));
    }
    return found;
  }

  /** The user's state at the committed version, read as the speed layer reads it. */
  private static java.util.Optional<dev.spoor.state.view.UserState> published(StateStoreConfig state, String user)
      throws java.io.IOException {
    try (org.apache.hadoop.hbase.client.Connection connection =
        org.apache.hadoop.hbase.client.ConnectionFactory.createConnection(state.hbase())) {
      return new dev.spoor.state.read.StateReader(connection, state).get(user);
    }
  }

  @Test
  void anErasedUserIsGoneEverywhereAndStaysGone(SparkSession spark) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path lake = dir.resolve("lake");
    Map<String, String> env = new HashMap<>();
    env.put("SPOOR_TOPIC_GOOD", "it.erase.good." + run);
    env.put("SPOOR_TOPIC_BAD", "it.erase.bad." + run);
    env.put("SPOOR_LAKE_ROOT", lake.toString());
    env.put("SPOOR_CHECKPOINT_DIR", dir.resolve("checkpoints").toString());
    env.put("SPOOR_STATE_NAMESPACE", "erase_" + run);
    env.put("SPOOR_TRINO_SCHEMA", "erase_" + run);
    TestTraffic.createTopics(Map.of(env.get("SPOOR_TOPIC_GOOD"), 2, env.get("SPOOR_TOPIC_BAD"), 1));
    LocalDate recent = AS_OF.minusDays(3);
    LocalDate old = AS_OF.minusDays(120);
    List<Event> alice = new ArrayList<>(traffic("alice", recent, 2));
    alice.addAll(traffic("alice", old, 1));
    List<Event> others = new ArrayList<>(traffic("bob", recent, 2));
    others.addAll(traffic("bob", old, 1));
    others.addAll(traffic("carol", recent, 1));
    TestTraffic.produce(env.get("SPOOR_TOPIC_GOOD"), alice);
    TestTraffic.produce(env.get("SPOOR_TOPIC_GOOD"), others);
    TestTraffic.produceRaw(env.get("SPOOR_TOPIC_GOOD"), "alice", "{\"user_id\":\"alice\",\"event_name\":");

    assertThat(SpoorCommand.run(env, Duration.ofMinutes(5), "land").exitCode()).isZero();
    SpoorCommand.Result archived = SpoorCommand.run(env, Duration.ofMinutes(5), "lake", "archive", "--older-than", "90");
    assertThat(archived.exitCode()).as(archived.output()).isZero();
    Path home = TestStackConfig.home();
    BatchConfig config = BatchConfig.from(TestStackConfig.config(), home);
    runBatch(spark, config, lake, "before");
    StateStoreConfig state = StateStoreConfig.from(TestStackConfig.config()).withNamespace("erase_" + run);
    assertThat(new PublishJob(spark, lake.toString(), state, System.out)
        .run(new RunOptions("publish", "p1", AS_OF, false)).status()).isEqualTo("succeeded");
    assertThat(published(state, "alice")).as("alice's state before").isPresent();

    Map<String, Long> aliceBefore = presence(spark, lake, "alice");
    assertThat(aliceBefore).as("alice is everywhere before").allSatisfy((table, n) -> assertThat(n).as(table).isPositive());
    Map<String, Long> bobBefore = presence(spark, lake, "bob");

    SpoorCommand.Result erased = SpoorCommand.run(env, Duration.ofMinutes(5), "erase", "alice");
    assertThat(erased.exitCode()).as(erased.output()).isZero();
    assertThat(erased.output()).contains("the user's state is deleted");

    assertThat(presence(spark, lake, "alice")).as("alice after").allSatisfy((table, n) -> assertThat(n).as(table).isZero());
    assertThat(presence(spark, lake, "bob")).as("bob keeps every row").isEqualTo(bobBefore);
    assertThat(published(state, "alice")).as("alice's state after").isEmpty();
    assertThat(published(state, "bob")).as("bob's state after").isPresent();
    Dataset<Row> log = spark.read().format("delta").load(lake.resolve(Erasures.TABLE).toString());
    assertThat(log.filter(col("user_hash").equalTo(lit(Erasures.hash("alice")))).count()).isEqualTo(1);
    assertThat(log.filter(col("user_hash").equalTo(lit("alice"))).count()).as("the log holds no user id").isZero();

    Properties props = new Properties();
    props.setProperty("user", "spoor");
    String schema = TestStackConfig.config().getString("spoor.trino.catalog") + ".erase_" + run;
    try (Connection trino = DriverManager.getConnection(TestStackConfig.config().getString("spoor.trino.url"), props)) {
      for (String sql : List.of("SELECT count(*) FROM " + schema + ".events WHERE user_id = 'alice'",
          "SELECT count(*) FROM " + schema + ".bad_events WHERE strpos(CASE WHEN payload_encoding = 'base64' "
              + "THEN from_utf8(from_base64(payload)) ELSE payload END, '\"alice\"') > 0")) {
        try (ResultSet rs = trino.createStatement().executeQuery(sql)) {
          rs.next();
          assertThat(rs.getLong(1)).as(sql).isZero();
        }
      }
      try (ResultSet rs = trino.createStatement().executeQuery(
          "SELECT count(*) FROM " + schema + ".events WHERE user_id = 'bob'")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(bobBefore.get("events"));
      }
    }

    // Kafka redelivers alice's old events (a replayed partition): landing drops them; the next batch
    // run, incremental and in full, does not bring her back.
    TestTraffic.produce(env.get("SPOOR_TOPIC_GOOD"), alice);
    assertThat(SpoorCommand.run(env, Duration.ofMinutes(5), "land").exitCode()).isZero();
    runBatch(spark, config, lake, "after");
    assertThat(presence(spark, lake, "alice")).as("alice after a replay and a batch run")
        .allSatisfy((table, n) -> assertThat(n).as(table).isZero());
    assertThat(DeltaTable.forPath(spark, lake.resolve("user_scores").toString()).toDF().count())
        .as("bob and carol keep their scores").isEqualTo(2);
  }
}
