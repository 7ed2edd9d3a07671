package dev.spoor.batch.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.batch.run.RunOptions;
import dev.spoor.stack.testing.SpoorCommand;
import dev.spoor.stack.testing.TestStackConfig;
import dev.spoor.stack.testing.UsesLocalStack;
import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.read.StateReader;
import dev.spoor.state.table.StateTables;
import dev.spoor.state.view.UserState;
import dev.spoor.state.view.ViewMeta;
import dev.spoor.testing.spark.SparkExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publish job against real HBase: the view read back exactly; a publish halted (failpoints, as a
 * SIGKILL) after writing and after moving the pointer leaves readers on a complete version; the same
 * run id resumes and commits; a rollback restores the previous view; the next incremental publish
 * writes only changed users, and a full one tombstones the users who left. Large publishes write
 * HFiles and bulk-load them: the same cells as {@code BufferedMutator}s, halted and resumed alike.
 */
@UsesLocalStack({"hbase"})
@ExtendWith(SparkExtension.class)
class PublishIT {
  private static final int USERS = 5_000;

  @TempDir
  Path lake;

  private void gold(SparkSession spark, int scoreShift) {
    String root = lake.toString();
    spark.range(USERS).selectExpr("format_string('user-%07d', id) AS user_key", "DATE '2026-11-21' AS as_of",
            "id % 40 AS recency_days", "id % 7 AS purchases", "CAST(id % 500 AS DOUBLE) AS monetary",
            "CAST(NULL AS MAP<STRING, INT>) AS funnel_levels")
        .write().format("delta").mode("overwrite").save(root + "/user_features");
    spark.range(USERS).selectExpr("format_string('user-%07d', id) AS user_key",
            "CAST(300 + (id + " + scoreShift + ") % 550 AS INT) AS score", "array('R0' || (id % 5)) AS reason_codes")
        .write().format("delta").mode("overwrite").save(root + "/user_scores");
    spark.range(USERS).selectExpr("format_string('user-%07d', id) AS user_key",
            "CASE WHEN id % 3 = 0 THEN array('vip') ELSE array() END AS segments")
        .write().format("delta").mode("overwrite").save(root + "/user_segments");
    spark.range(USERS).selectExpr("format_string('user-%07d', id) AS user_key", "'checkout' AS funnel",
            "CAST(id % 4 AS INT) AS level")
        .filter("level > 0")
        .write().format("delta").mode("overwrite").save(root + "/funnel_progress");
  }

  /** The state store's settings with a namespace of the test's own. */
  private static StateStoreConfig ownNamespace() {
    return StateStoreConfig.from(TestStackConfig.config()).withNamespace("pub_" + UUID.randomUUID().toString().substring(0, 8));
  }

  private Map<String, Integer> expectedScores(SparkSession spark) {
    Map<String, Integer> scores = new HashMap<>();
    for (Row r : spark.read().format("delta").load(lake + "/user_scores").collectAsList()) {
      scores.put(r.getString(0), r.getInt(1));
    }
    return scores;
  }

  private static void assertView(StateReader reader, Map<String, Integer> expected) {
    List<String> users = new ArrayList<>(expected.keySet());
    Map<String, Integer> read = new HashMap<>();
    for (int i = 0; i < users.size(); i += 1000) {
      reader.getAll(users.subList(i, Math.min(users.size(), i + 1000))).forEach((u, s) -> read.put(u, s.score()));
    }
    assertThat(read).as("every user, at the committed version").hasSize(expected.size()).isEqualTo(expected);
  }

  private static long cellsAt(Connection connection, StateStoreConfig config, long version) throws IOException {
    try (Table table = connection.getTable(new StateTables(config).users());
         ResultScanner scanner = table.getScanner(new Scan().setTimeRange(version, version + 1).setLimit(1))) {
      return scanner.next() == null ? 0 : 1;
    }
  }

  /** {@code bin/spoor batch publish --run-id RUN} halted at {@code failpoint}: exit status 137. */
  private static SpoorCommand.Result haltedAt(Map<String, String> env, String failpoint, String run) {
    Map<String, String> armed = new HashMap<>(env);
    armed.put("SPOOR_FAILPOINT", failpoint);
    SpoorCommand.Result halted = SpoorCommand.run(armed, Duration.ofMinutes(5), "batch", "publish", "--run-id", run);
    assertThat(halted.exitCode()).as(halted.output()).isEqualTo(137);
    assertThat(halted.output()).contains("failpoint " + failpoint + ": halting");
    return halted;
  }

  /** Every cell of the batch family, at every version: row key and version → document. */
  private static Map<String, String> cells(Connection connection, StateStoreConfig config) throws IOException {
    Map<String, String> cells = new java.util.TreeMap<>();
    try (Table table = connection.getTable(new StateTables(config).users());
         ResultScanner scanner = table.getScanner(new Scan().addFamily(StateTables.BATCH).readAllVersions())) {
      for (var result : scanner) {
        for (var cell : result.rawCells()) {
          cells.put(org.apache.hadoop.hbase.util.Bytes.toStringBinary(result.getRow()) + "@" + cell.getTimestamp(),
              org.apache.hadoop.hbase.util.Bytes.toString(org.apache.hadoop.hbase.CellUtil.cloneValue(cell)));
        }
      }
    }
    return cells;
  }

  @Test
  void aBulkLoadedPublishWritesTheCellsBufferedMutatorsWrite(SparkSession spark, @TempDir Path staging) throws Exception {
    StateStoreConfig bulk = ownNamespace();
    StateStoreConfig mutators = bulk.withNamespace(bulk.namespace() + "_m");
    gold(spark, 0);
    PublishJob.Outcome loaded = new PublishJob(spark, lake.toString(), bulk, new PublishSettings(USERS, staging.toString()),
        System.out).run(new RunOptions("publish", "b1", LocalDate.of(2026, 11, 21), true));
    PublishJob.Outcome put = new PublishJob(spark, lake.toString(), mutators, new PublishSettings(USERS + 1, ""),
        System.out).run(new RunOptions("publish", "m1", LocalDate.of(2026, 11, 21), true));

    assertThat(loaded.writer()).isEqualTo("bulk-load");
    assertThat(put.writer()).isEqualTo("mutator");
    assertThat(loaded.users()).isEqualTo(put.users()).isEqualTo(USERS);
    assertThat(loaded.version()).isEqualTo(put.version());
    try (Connection connection = ConnectionFactory.createConnection(bulk.hbase())) {
      Map<String, String> fromFiles = cells(connection, bulk);
      assertThat(fromFiles).as("row by row, cell by cell").hasSize(USERS).isEqualTo(cells(connection, mutators));
      assertView(new StateReader(connection, bulk), expectedScores(spark));
    }
    try (var left = java.nio.file.Files.list(staging)) {
      assertThat(left.flatMap(d -> {
        try (var files = java.nio.file.Files.walk(d)) {
          return files.filter(java.nio.file.Files::isRegularFile).toList().stream();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      })).as("nothing left in the staging directory").isEmpty();
    }
  }

  @Test
  void aPublishHaltedAtEachDangerousStepLeavesReadersOnACompleteViewAndResumes(SparkSession spark) throws Exception {
    StateStoreConfig state = ownNamespace();
    gold(spark, 0);
    PublishJob.Outcome first = new PublishJob(spark, lake.toString(), state, System.out)
        .run(new RunOptions("publish", "p1", LocalDate.of(2026, 11, 21), false));
    assertThat(first.users()).isEqualTo(USERS);
    Map<String, Integer> v1 = expectedScores(spark);
    // The publishes through the CLI write HFiles and bulk-load them (the first, above, put its cells):
    // the halts below fall between a bulk load and its commit.
    Map<String, String> env = Map.of("SPOOR_LAKE_ROOT", lake.toString(), "SPOOR_STATE_NAMESPACE", state.namespace(),
        "SPOOR_PUBLISH_BULK_LOAD_MIN_USERS", Integer.toString(USERS));

    try (Connection connection = ConnectionFactory.createConnection(state.hbase())) {
      StateReader reader = new StateReader(connection, state);
      assertView(reader, v1);
      UserState one = reader.get("user-0000003").orElseThrow();
      assertThat(one.segments()).containsExactly("vip");
      assertThat(one.funnels()).containsEntry("checkout", 3);
      assertThat(one.features()).containsEntry("purchases", 3).containsEntry("monetary", 3.0);
      ViewMeta meta = new dev.spoor.state.view.BatchView(connection, state).meta();

      // Every score changes; the publish halts right after its version was allocated (nothing
      // written), then, run again, with every cell written, before its commit: the same version.
      gold(spark, 1);
      Map<String, Integer> v2 = expectedScores(spark);
      haltedAt(env, "publish.after-begin", "p2");
      long begun = meta.forRun("p2").orElseThrow().version();
      assertThat(cellsAt(connection, state, begun)).as("nothing written yet").isZero();
      assertThat(reader.refresh()).isEqualTo(first.version());
      assertThat(haltedAt(env, "publish.after-write", "p2").output()).contains("cells bulk-loaded from HFiles");
      long pending = meta.forRun("p2").orElseThrow().version();
      assertThat(pending).as("the halted run resumed its own version").isEqualTo(begun);
      assertThat(cellsAt(connection, state, pending)).isPositive();
      assertThat(meta.forRun("p2").orElseThrow().status()).isEqualTo("pending");
      assertThat(reader.refresh()).isEqualTo(first.version());
      assertView(reader, v1);

      // The same run id resumes the same version; this time it halts right after the pointer moved,
      // before it records the status: committed all the same, and never purged by the next run.
      haltedAt(env, "publish.after-pointer-move", "p2");
      assertThat(reader.refresh()).isEqualTo(pending);
      assertView(reader, v2);
      assertThat(meta.forRun("p2").orElseThrow().status()).isEqualTo("committed");
      // Runs that are not halted run in this JVM: the same job, without a JVM's start each.
      PublishJob job = new PublishJob(spark, lake.toString(), state, System.out);
      PublishJob.Outcome again = job.run(new RunOptions("publish", "p2", LocalDate.of(2026, 11, 21), false));
      assertThat(again.status()).isEqualTo("already-succeeded");
      assertThat(again.version()).isEqualTo(pending);
      job.run(new RunOptions("publish", "p3", LocalDate.of(2026, 11, 21), false));
      assertThat(reader.refresh()).as("nothing changed since p2: nothing new to commit").isEqualTo(pending);
      assertView(reader, v2);

      // Rollback through the CLI, then the view is v1 again.
      SpoorCommand.Result rollback = SpoorCommand.run(env, Duration.ofMinutes(2), "state", "rollback");
      assertThat(rollback.exitCode()).as(rollback.output()).isZero();
      assertThat(reader.refresh()).isEqualTo(first.version());
      assertView(reader, v1);
      SpoorCommand.Result get = SpoorCommand.run(env, Duration.ofMinutes(2), "state", "get", "user-0000003");
      assertThat(get.output()).contains("\"user_key\" : \"user-0000003\"").contains("\"score\" : " + v1.get("user-0000003"));

      // Scores change again; the publish halts after its commit, before it records its run and gives
      // its lease back: readers see it, and the next run takes the dead holder's lease and adds nothing.
      gold(spark, 2);
      Map<String, Integer> v3 = expectedScores(spark);
      haltedAt(env, "publish.after-commit", "p4");
      long fourth = meta.forRun("p4").orElseThrow().version();
      assertThat(reader.refresh()).isEqualTo(fourth);
      assertView(reader, v3);
      assertThat(job.run(new RunOptions("publish", "p5", LocalDate.of(2026, 11, 21), false)).status())
          .isEqualTo("succeeded");
      assertThat(reader.refresh()).isEqualTo(fourth);
      assertView(reader, v3);
    }
  }

  @Test
  void anIncrementalPublishWritesOnlyChangedUsers(SparkSession spark) throws Exception {
    StateStoreConfig state = ownNamespace();
    String root = lake.toString();
    spark.range(100).selectExpr("format_string('u%03d', id) AS user_key", "id AS purchases")
        .write().format("delta").save(root + "/user_features");
    spark.range(100).selectExpr("format_string('u%03d', id) AS user_key", "CAST(500 + id AS INT) AS score",
        "CAST(array() AS ARRAY<STRING>) AS reason_codes").write().format("delta").save(root + "/user_scores");
    spark.range(100).selectExpr("format_string('u%03d', id) AS user_key", "array('a') AS segments")
        .write().format("delta").save(root + "/user_segments");
    spark.range(100).selectExpr("format_string('u%03d', id) AS user_key", "'f' AS funnel", "1 AS level")
        .write().format("delta").save(root + "/funnel_progress");
    PublishJob job = new PublishJob(spark, root, state, System.out);
    job.run(new RunOptions("publish", "i1", LocalDate.of(2026, 11, 21), false));

    io.delta.tables.DeltaTable.forPath(spark, root + "/user_scores").update(
        org.apache.spark.sql.functions.expr("user_key IN ('u001', 'u002')"),
        Map.of("score", org.apache.spark.sql.functions.lit(850)));
    io.delta.tables.DeltaTable.forPath(spark, root + "/user_features").delete("user_key = 'u003'");
    PublishJob.Outcome second = job.run(new RunOptions("publish", "i2", LocalDate.of(2026, 11, 21), false));

    assertThat(second.mode()).isEqualTo("incremental");
    assertThat(second.users()).as("u001 and u002 changed, u003 left").isEqualTo(3);
    try (Connection connection = ConnectionFactory.createConnection(state.hbase())) {
      StateReader reader = new StateReader(connection, state);
      Map<String, UserState> read = reader.getAll(List.of("u000", "u001", "u003"));
      assertThat(read.keySet()).containsExactlyInAnyOrder("u000", "u001");
      assertThat(read.get("u001").score()).isEqualTo(850);
      assertThat(read.get("u000").version()).as("untouched: still the first version's cell").isLessThan(second.version());

      // A full publish after u004 left: u004 gets a tombstone too, as in an incremental publish.
      io.delta.tables.DeltaTable.forPath(spark, root + "/user_features").delete("user_key = 'u004'");
      PublishJob.Outcome full = job.run(new RunOptions("publish", "i3", LocalDate.of(2026, 11, 21), true));
      assertThat(full.mode()).isEqualTo("full");
      reader.refresh();
      assertThat(reader.getAll(List.of("u000", "u003", "u004")).keySet()).containsExactly("u000");
    }
  }

  @Test
  void theNextPublishNeverWritesAnErasedUserBack(SparkSession spark) throws Exception {
    StateStoreConfig state = ownNamespace();
    gold(spark, 0);
    PublishJob job = new PublishJob(spark, lake.toString(), state, System.out);
    job.run(new RunOptions("publish", "e1", LocalDate.of(2026, 11, 21), false));

    // user-0000005 is erased, as `bin/spoor erase` does: their rows leave the gold tables, their cells the view.
    for (String table : PublishJob.INPUTS) {
      io.delta.tables.DeltaTable.forPath(spark, lake + "/" + table).delete("user_key = 'user-0000005'");
    }
    try (Connection connection = ConnectionFactory.createConnection(state.hbase())) {
      assertThat(dev.spoor.state.erase.StateErasure.erase(connection, state, "user-0000005")).isTrue();
      PublishJob.Outcome next = job.run(new RunOptions("publish", "e2", LocalDate.of(2026, 11, 21), false));

      assertThat(next.mode()).isEqualTo("incremental");
      try (Table table = connection.getTable(new StateTables(state).users())) {
        byte[] row = new dev.spoor.state.table.RowKeys(state.saltBuckets()).rowKey("user-0000005");
        assertThat(table.get(new org.apache.hadoop.hbase.client.Get(row).readAllVersions()).isEmpty())
            .as("no cell under the erased user's key, not even a tombstone").isTrue();
      }
      assertThat(new StateReader(connection, state).get("user-0000006")).isPresent();
    }
  }

  @Test
  void aLakeBuiltAgainFromScratchIsPublishedWholeNotTakenForThePublishedOne(SparkSession spark) throws Exception {
    StateStoreConfig state = ownNamespace();
    gold(spark, 0);
    PublishJob job = new PublishJob(spark, lake.toString(), state, System.out);
    job.run(new RunOptions("publish", "a1", LocalDate.of(2026, 11, 21), false));

    // The lake is deleted and built again: new tables, at the same Delta versions as the published ones.
    org.apache.commons.io.FileUtils.cleanDirectory(lake.toFile());
    gold(spark, 7);
    PublishJob.Outcome again = job.run(new RunOptions("publish", "a2", LocalDate.of(2026, 11, 21), false));

    assertThat(again.users()).as("every user of the new lake").isEqualTo(USERS);
    try (Connection connection = ConnectionFactory.createConnection(state.hbase())) {
      assertView(new StateReader(connection, state), expectedScores(spark));
    }
  }
}
