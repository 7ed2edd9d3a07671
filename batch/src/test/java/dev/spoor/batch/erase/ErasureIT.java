package dev.spoor.batch.erase;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.batch.BatchMain;
import dev.spoor.batch.config.BatchConfig;
import dev.spoor.batch.publish.PublishJob;
import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.JobRunner;
import dev.spoor.batch.run.RunOptions;
import dev.spoor.fault.Failpoints;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.lake.erasure.ErasureKey;
import dev.spoor.stack.testing.SpoorCommand;
import dev.spoor.stack.testing.TestStackConfig;
import dev.spoor.stack.testing.TestTraffic;
import dev.spoor.stack.testing.UsesLocalStack;
import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.read.StateReader;
import dev.spoor.state.view.UserState;
import dev.spoor.testing.spark.SparkExtension;
import io.delta.tables.DeltaTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
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
  /** An id whose URL-encoded form differs from it, so both can be searched for. */
  private static final String ALICE = "alice@example.com";
  /** Alice's browser: her events carry it, and so do those she made before logging in. */
  private static final String ALICE_DEVICE = "d7e1a0c5-a11c-4e00-9000-0000a11ce000";
  private static final List<String> ALICE_FORMS = Leftovers.forms(ALICE, ALICE_DEVICE);
  private static final LocalDate AS_OF = LocalDate.now(ZoneOffset.UTC);
  private static final List<String> BATCH = List.of("clean", "sessionize", "funnels", "features", "score", "segments");

  @TempDir
  Path dir;

  /** What every command of the test printed: a job's log must not hold the ids it erased. */
  private final List<String> outputs = new ArrayList<>();

  private SpoorCommand.Result run(Map<String, String> env, String... args) {
    SpoorCommand.Result result = SpoorCommand.run(env, Duration.ofMinutes(5), args);
    outputs.add(result.output());
    return result;
  }

  private static List<Event> traffic(String user, LocalDate day, int visits) {
    List<Event> events = new ArrayList<>();
    for (int v = 0; v < visits; v++) {
      Instant at = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600L * (9 + v));
      events.addAll(TestTraffic.visit(user, at, 3, 150));
    }
    return events;
  }

  /** The event as made on a device: with its domain user id, and without a user id before a login. */
  private static Event onDevice(Event e, String domainUserid, boolean loggedIn) {
    String id = loggedIn ? e.eventId()
        : UUID.nameUUIDFromBytes((domainUserid + e.eventName() + e.collectorTstamp()).getBytes()).toString();
    return new Event(id, e.appId(), e.platform(), e.eventName(), e.schema(), loggedIn ? e.userId() : null,
        domainUserid, e.domainSessionid(), e.dvceCreatedTstamp(), e.dvceSentTstamp(), e.trueTstamp(),
        e.collectorTstamp(), e.derivedTstamp(), e.pageUrl(), e.pageReferrer(), e.useragent(), e.uaBrowser(),
        e.uaBrowserVersion(), e.uaOs(), e.uaDeviceClass(), e.userIpaddress(), e.properties(), e.contexts(),
        "fp-" + id, e.eventDate(), e.tracker(), e.source(), e.qualityFlags());
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
    String device = user.equals(ALICE) ? ALICE_DEVICE : "-";
    Column byEvent = col("user_id").equalTo(lit(user)).or(col("domain_userid").equalTo(lit(device)));
    Column byKey = col("user_key").isin(user, device);
    Map<String, Long> found = new LinkedHashMap<>();
    found.put("events", rows(spark, lake.resolve("events").toString(), byEvent));
    found.put("events_clean", rows(spark, lake.resolve("events_clean").toString(), byEvent));
    found.put("bad_events", rows(spark, lake.resolve("bad_events").toString(),
        expr("CASE WHEN payload_encoding = 'base64' THEN CAST(unbase64(payload) AS STRING) ELSE payload END")
            .rlike(Pattern.quote(user) + "|" + Pattern.quote(user.replace("@", "%40")))));
    found.put("archive/events", rows(spark, lake.resolve("_archive/events").toString(), byEvent));
    for (String table : List.of("sessions", "funnel_progress", "user_features", "user_scores", "user_segments")) {
      found.put(table, rows(spark, lake.resolve(table).toString(), byKey));
    }
    return found;
  }

  /** The user's state at the committed version, read as the speed layer reads it. */
  private static Optional<dev.spoor.state.view.UserState> published(StateStoreConfig state, String user)
      throws IOException {
    try (org.apache.hadoop.hbase.client.Connection connection =
        org.apache.hadoop.hbase.client.ConnectionFactory.createConnection(state.hbase())) {
      return new StateReader(connection, state).get(user);
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
    List<Event> alice = new ArrayList<>();
    for (Event e : traffic(ALICE, recent, 2)) {
      alice.add(onDevice(e, ALICE_DEVICE, true));
    }
    for (Event e : traffic(ALICE, recent.minusDays(1), 1)) {
      alice.add(onDevice(e, ALICE_DEVICE, false)); // before she logged in
    }
    alice.addAll(traffic(ALICE, old, 1));
    List<Event> others = new ArrayList<>(traffic("bob", recent, 2));
    others.addAll(traffic("bob", old, 1));
    others.addAll(traffic("carol", recent, 1));
    TestTraffic.produce(env.get("SPOOR_TOPIC_GOOD"), alice);
    TestTraffic.produce(env.get("SPOOR_TOPIC_GOOD"), others);
    TestTraffic.produceRaw(env.get("SPOOR_TOPIC_GOOD"), ALICE, "{\"user_id\":\"alice@example.com\",\"event_name\":");
    TestTraffic.produceRaw(env.get("SPOOR_TOPIC_GOOD"), ALICE, "e=pv&uid=alice%40example.com&aid=shop");
    // Today's visits come through the collector, as a browser's tracker sends them; its log is kept in
    // the searched directory.
    try (TrackerTraffic collector = TrackerTraffic.start(env, dir.resolve("collector.log"))) {
      collector.send(TrackerTraffic.pageView(ALICE, ALICE_DEVICE, "https://shop.example/account?email="
          + URLEncoder.encode(ALICE, StandardCharsets.UTF_8)),
          TrackerTraffic.pageView(null, ALICE_DEVICE, "https://shop.example/"));
      // An event of a schema nobody shipped: a bad row whose payload holds her id base64-encoded.
      collector.send(TrackerTraffic.selfDescribing(ALICE, ALICE_DEVICE, "iglu:com.acme/newsletter_signup/jsonschema/9-0-0",
          Map.of("email", ALICE)));
      collector.send(TrackerTraffic.pageView("bob", "d0b0b0b0-0000-4000-8000-00000000b0b0", "https://shop.example/"));
    }

    SpoorCommand.Result landed = run(env, "land");
    assertThat(landed.exitCode()).as(landed.output()).isZero();
    SpoorCommand.Result archived = run(env, "lake", "archive", "--older-than", "90");
    assertThat(archived.exitCode()).as(archived.output()).isZero();
    Path home = TestStackConfig.home();
    BatchConfig config = BatchConfig.from(TestStackConfig.config(), home);
    runBatch(spark, config, lake, "before");
    StateStoreConfig state = StateStoreConfig.from(TestStackConfig.config()).withNamespace("erase_" + run);
    assertThat(new PublishJob(spark, lake.toString(), state, System.out)
        .run(new RunOptions("publish", "p1", AS_OF, false)).status()).isEqualTo("succeeded");
    assertThat(published(state, ALICE)).as("alice's state before").isPresent();

    Map<String, Long> aliceBefore = presence(spark, lake, ALICE);
    assertThat(aliceBefore).as("alice is everywhere before").allSatisfy((table, n) -> assertThat(n).as(table).isPositive());
    Map<String, Long> bobBefore = presence(spark, lake, "bob");
    // The search below can see her: in decoded Parquet pages and in HBase, before the erasure.
    assertThat(Leftovers.inFiles(dir, ALICE_FORMS)).anyMatch(hit -> hit.contains("(decoded: " + ALICE + ")"));
    try (org.apache.hadoop.hbase.client.Connection hbase =
        org.apache.hadoop.hbase.client.ConnectionFactory.createConnection(state.hbase())) {
      assertThat(Leftovers.inHBase(hbase, "erase_" + run, ALICE_FORMS)).isNotEmpty();
    }

    // An erasure that stops midway (halted after the state, before the events) is finished by the same
    // command: the user's events are still there to find her browser by.
    Map<String, String> halting = new HashMap<>(env);
    halting.put("SPOOR_FAILPOINT", "erase.before-events");
    assertThat(run(halting, "erase", ALICE, "--purge").exitCode()).isEqualTo(Failpoints.EXIT_STATUS);
    assertThat(published(state, ALICE)).as("alice's state after the halted erasure").isEmpty();
    assertThat(presence(spark, lake, ALICE).get("events")).as("her events after the halted erasure").isPositive();
    // The same command again, in this JVM (what `bin/spoor erase` runs, with this test's session).
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    int erased = EraseMain.run(List.of(ALICE, "--purge"), TestStackConfig.config(env), TestStackConfig.home(),
        () -> spark, out, out);
    outputs.add(printed.toString(StandardCharsets.UTF_8));
    assertThat(erased).as(outputs.get(outputs.size() - 1)).isZero();
    assertThat(outputs.get(outputs.size() - 1)).as("the second run deletes what the first left")
        .containsPattern("(?m)^events\\s+[1-9]");

    assertThat(presence(spark, lake, ALICE)).as("alice after").allSatisfy((table, n) -> assertThat(n).as(table).isZero());
    assertThat(presence(spark, lake, "bob")).as("bob keeps every row").isEqualTo(bobBefore);
    assertThat(published(state, ALICE)).as("alice's state after").isEmpty();
    assertThat(published(state, "bob")).as("bob's state after").isPresent();
    SpoorCommand.Result aliceState = SpoorCommand.run(env, Duration.ofMinutes(2), "state", "get", ALICE);
    assertThat(aliceState.exitCode()).as(aliceState.output()).isEqualTo(1);
    assertThat(aliceState.output()).contains("no state for user"); // echoes the id it was asked: not searched
    SpoorCommand.Result bobState = run(env, "state", "get", "bob");
    assertThat(bobState.exitCode()).as(bobState.output()).isZero();
    // The log names her and her browser by HMAC (the byte search below shows it holds no id).
    ErasureKey key = ErasureKey.from(TestStackConfig.config(), TestStackConfig.home());
    assertThat(spark.read().format("delta").load(lake.resolve("erasure_log").toString())
        .select("id_hmac", "id_kind").collectAsList().stream().map(Row::toString).toList())
        .containsExactlyInAnyOrder("[" + key.hmac(ALICE) + ",user_id]", "[" + key.hmac(ALICE_DEVICE) + ",domain_userid]");

    Properties props = new Properties();
    props.setProperty("user", "spoor");
    String schema = TestStackConfig.config().getString("spoor.trino.catalog") + ".erase_" + run;
    try (Connection trino = DriverManager.getConnection(TestStackConfig.config().getString("spoor.trino.url"), props)) {
      for (String sql : List.of("SELECT count(*) FROM " + schema + ".events WHERE user_id = '" + ALICE + "'",
          "SELECT count(*) FROM " + schema + ".bad_events WHERE strpos(CASE WHEN payload_encoding = 'base64' "
              + "THEN from_utf8(from_base64(payload)) ELSE payload END, '" + ALICE + "') > 0")) {
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
    SpoorCommand.Result relanded = run(env, "land");
    assertThat(relanded.exitCode()).as(relanded.output()).isZero();
    runBatch(spark, config, lake, "after");
    assertThat(presence(spark, lake, ALICE)).as("alice after a replay and a batch run")
        .allSatisfy((table, n) -> assertThat(n).as(table).isZero());
    assertThat(DeltaTable.forPath(spark, lake.resolve("user_scores").toString()).toDF().count())
        .as("bob and carol keep their scores").isEqualTo(2);

    // The proof is in the bytes: no file Spoor wrote (Parquet decoded too; the collector's log among
    // them), no HBase cell at any version after a major compaction, and no command's output holds any
    // form of her ids.
    assertThat(Files.readString(dir.resolve("collector.log"))).as("the collector's log, at its level of `up`")
        .contains("collector listening on");
    List<String> leftovers = new ArrayList<>(Leftovers.inFiles(dir, ALICE_FORMS));
    try (org.apache.hadoop.hbase.client.Connection hbase =
        org.apache.hadoop.hbase.client.ConnectionFactory.createConnection(state.hbase())) {
      leftovers.addAll(Leftovers.inHBase(hbase, "erase_" + run, ALICE_FORMS));
    }
    for (String output : outputs) {
      ALICE_FORMS.stream().filter(output::contains).forEach(id -> leftovers.add("a command's output: " + id));
    }
    assertThat(leftovers).as("copies of alice left anywhere").isEmpty();
  }
}
