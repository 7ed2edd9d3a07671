package dev.spoor.speed;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.EventJson;
import dev.spoor.stack.testing.TestStackConfig;
import dev.spoor.stack.testing.UsesLocalStack;
import dev.spoor.speed.config.SpeedConfig;
import dev.spoor.state.erase.ErasedRegister;
import dev.spoor.speed.decide.SpeedMetrics;
import dev.spoor.state.table.StateTables;
import dev.spoor.state.view.BatchView;
import dev.spoor.state.view.UserState;
import dev.spoor.testing.spark.SparkExtension;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speed layer against the test stack's real Kafka and HBase, with the shipped rules: exactly the
 * expected notification ids, routed, gated and decorated events; a restart mid-stream loses nothing
 * and repeats only with the same ids; the speed view plus the batch view equals the truth across a
 * batch publish in the middle of the stream.
 */
@UsesLocalStack({"kafka", "hbase"})
@ExtendWith(SparkExtension.class)
class SpeedIT {
  @TempDir
  java.nio.file.Path dir;

  /** Topics, checkpoint and state namespace of their own, so tests never see each other's records. */
  private SpeedConfig freshConfig() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("spoor.kafka.topics.good", "it.speed.good." + run);
    overrides.put("spoor.speed.topics.notifications", "it.speed.notifications." + run);
    overrides.put("spoor.speed.topics.decorated", "it.speed.decorated." + run);
    overrides.put("spoor.speed.topics.gated", "it.speed.gated." + run);
    overrides.put("spoor.speed.topics.routed-prefix", "it.speed.routed." + run + ".");
    overrides.put("spoor.speed.starting-offsets", "earliest");
    overrides.put("spoor.speed.checkpoint-dir", dir.resolve("checkpoint").toString());
    overrides.put("spoor.state.namespace", "speed_" + run);
    overrides.put("spoor.speed.trigger-interval", "5s"); // the default trigger (real-time), committing more often than in production
    return SpeedConfig.from(ConfigFactory.parseMap(overrides).withFallback(TestStackConfig.config()), TestStackConfig.home());
  }

  private static Event event(String id, String user, String name, String properties) {
    Instant now = Instant.now();
    return new Event(id, "shop", "web", name, "iglu:com.acme/" + name + "/jsonschema/1-0-0", user, null, null, now, now,
        null, now, now, null, null, null, null, null, null, null, null, properties, "[]", "fp-" + id,
        now.atOffset(ZoneOffset.UTC).toLocalDate(), "test", "test", List.of());
  }

  private static String notificationId(String rule, String eventId) throws Exception {
    byte[] hash = MessageDigest.getInstance("SHA-256").digest((rule + ":" + eventId).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(hash).substring(0, 32);
  }

  private static void produce(SpeedConfig config, List<Event> events) {
    Properties props = new Properties();
    props.put("bootstrap.servers", config.bootstrapServers());
    props.put("acks", "all");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (Event e : events) {
        producer.send(new ProducerRecord<>(config.goodTopic(), e.userId(), EventJson.encode(e)));
      }
      producer.flush();
    }
  }

  /** Every record of a topic so far (keys and values as text). */
  private static List<ConsumerRecord<byte[], byte[]>> records(SpeedConfig config, String topic) {
    Properties props = new Properties();
    props.put("bootstrap.servers", config.bootstrapServers());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
      }
      return all;
    }
  }

  private static Set<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
    Set<String> keys = new TreeSet<>();
    records.forEach(r -> keys.add(new String(r.key(), StandardCharsets.UTF_8)));
    return keys;
  }

  private static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(200); // polling interval of a condition wait with a deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static UserState state(String user, int score, long events, String... segments) {
    return new UserState(user, 0, score, List.of(), List.of(segments), Map.of("events", events), Map.of());
  }

  private static void publish(SpeedConfig config, Connection connection, String run, List<UserState> states,
      Map<Integer, Long> covered) throws Exception {
    BatchView view = new BatchView(connection, config.state());
    StringBuilder offsets = new StringBuilder("{");
    covered.forEach((p, o) -> offsets.append(offsets.length() > 1 ? "," : "").append('"').append(p).append("\":").append(o));
    BatchView.Begun begun = view.begin(run, "{}", offsets.append('}').toString());
    try (BatchView.Writer writer = new BatchView.Writer(config.state(), begun.version())) {
      for (UserState s : states) {
        writer.put(s.userKey(), s.document());
      }
    }
    view.commit(begun.version(), states.size());
  }

  /** A one-partition good topic, the given output topics, the state tables, and a first batch view of {@code states}. */
  private static void prepare(SpeedConfig config, List<UserState> states, List<String> outputs) throws Exception {
    List<NewTopic> topics = new ArrayList<>(List.of(new NewTopic(config.goodTopic(), 1, (short) 1)));
    outputs.forEach(topic -> topics.add(new NewTopic(topic, 1, (short) 1)));
    try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", config.bootstrapServers()))) {
      admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
    }
    try (Connection connection = ConnectionFactory.createConnection(config.state().hbase())) {
      try (Admin admin = connection.getAdmin()) {
        new StateTables(config.state()).init(admin);
      }
      publish(config, connection, "batch-1", states, Map.of());
    }
  }

  private static Map<Integer, Long> lastOffsets(SpeedConfig config) {
    Map<Integer, Long> last = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records(config, config.goodTopic())) {
      last.merge(r.partition(), r.offset(), Math::max);
    }
    return last;
  }

  @Test
  void rulesNotifyRouteGateAndDecorateExactlyAndSurviveARestart(SparkSession spark) throws Exception {
    SpeedConfig config = freshConfig();
    try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", config.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(config.goodTopic(), 2, (short) 1),
          new NewTopic(config.notificationsTopic(), 1, (short) 1), new NewTopic(config.decoratedTopic(), 1, (short) 1),
          new NewTopic(config.gatedTopic(), 1, (short) 1), new NewTopic(config.routedPrefix() + "premium", 1, (short) 1)))
          .all().get(30, TimeUnit.SECONDS);
    }
    try (Connection connection = ConnectionFactory.createConnection(config.state().hbase())) {
      try (Admin admin = connection.getAdmin()) {
        new StateTables(config.state()).init(admin);
      }
      publish(config, connection, "batch-1", List.of(state("alice", 800, 10, "vip"), state("bob", 500, 3),
          state("carol", 760, 5, "at_risk")), Map.of());

      List<Event> first = List.of(
          event("a1", "alice", "add_to_cart", "{\"sku\":\"s1\",\"price\":120.0,\"quantity\":2}"),
          event("b1", "bob", "add_to_cart", "{\"sku\":\"s2\",\"price\":10.0,\"quantity\":1}"),
          event("c1", "carol", "add_to_cart", "{\"sku\":\"s3\",\"price\":50.0,\"quantity\":1}"),
          event("d1", "dave", "purchase", "{\"order_id\":\"o1\",\"total\":5.0,\"items\":1}"),
          event("a2", "alice", "page_view", "{}"));
      produce(config, first);
      long decidedBefore = SpeedMetrics.eventsDecided();
      StreamingQuery query = SpeedJob.start(spark, config);
      await("the first events to be decided", Duration.ofMinutes(2),
          () -> query.lastProgress() != null && records(config, config.decoratedTopic()).size() >= 4);

      // Restart: stop, more events (one pushes alice's cart over 500 today), start again on the same checkpoint.
      query.stop();
      List<Event> second = List.of(
          event("a3", "alice", "add_to_cart", "{\"sku\":\"s4\",\"price\":150.0,\"quantity\":2}"),
          event("e1", "erin", "add_to_cart", "{\"sku\":\"s5\",\"price\":1.0,\"quantity\":1}"));
      produce(config, second);
      StreamingQuery restarted = SpeedJob.start(spark, config);
      await("every event to be decided", Duration.ofMinutes(2), () -> records(config, config.decoratedTopic()).size() >= 6);
      restarted.stop();

      Set<String> expected = new TreeSet<>(List.of(
          notificationId("vip_cart", "a1"), notificationId("vip_cart", "a3"), notificationId("big_spender_today", "a3")));
      assertThat(keys(records(config, config.notificationsTopic()))).isEqualTo(expected);
      assertThat(records(config, config.routedPrefix() + "premium")).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
          .hasSize(3).allMatch(v -> v.contains("\"user_id\":\"alice\""));
      assertThat(records(config, config.gatedTopic())).extracting(r -> EventJson.decodeEvent(r.value()).eventId())
          .containsExactlyInAnyOrder("a1", "b1", "c1", "a2", "a3", "e1");
      List<String> decorated = records(config, config.decoratedTopic()).stream()
          .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
      assertThat(decorated).hasSize(6).anyMatch(v -> v.contains("\"score\":800") && v.contains("\"segments\":[\"vip\"]"));
      assertThat(SpeedMetrics.eventsDecided() - decidedBefore).as("events decided in the tasks").isGreaterThanOrEqualTo(7);

      // The speed view plus the batch view is the truth, across a publish that covers the stream so far.
      publish(config, connection, "batch-2", List.of(state("alice", 800, 13, "vip"), state("bob", 500, 4),
          state("carol", 760, 6, "at_risk")), lastOffsets(config));
      produce(config, List.of(event("a4", "alice", "add_to_cart", "{\"sku\":\"s6\",\"price\":1.0,\"quantity\":1}"),
          event("b2", "bob", "purchase", "{\"order_id\":\"o2\",\"total\":3.0,\"items\":1}")));
      StreamingQuery third = SpeedJob.start(spark, config);
      Predicate<String> aliceA4 = v -> v.contains("\"event_id\":\"a4\"");
      await("the events after the publish", Duration.ofMinutes(2),
          () -> records(config, config.decoratedTopic()).size() >= 8);
      third.stop();
      List<String> after = records(config, config.decoratedTopic()).stream()
          .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
      // alice: 13 events in the batch view + a4 = 14; bob: 4 + b2 = 5.
      assertThat(after).filteredOn(aliceA4).singleElement().asString().contains("\"events\":14");
      assertThat(after).filteredOn(v -> v.contains("\"event_id\":\"b2\"")).singleElement().asString().contains("\"events\":5");
    }
  }

  /** The ids of the events that passed the gate (every event but new users' purchases). */
  private static Set<String> passed(SpeedConfig config) {
    Set<String> ids = new TreeSet<>();
    records(config, config.gatedTopic()).forEach(r -> ids.add(EventJson.decodeEvent(r.value()).eventId()));
    return ids;
  }

  @Test
  void realTimeModeDecidesExactlyWhileItsTasksWaitAndAfterARestart(SparkSession spark) throws Exception {
    assertThat(org.apache.spark.package$.MODULE$.SPARK_VERSION()).as("the speed layer's Spark line").startsWith("4.1.");
    SpeedConfig config = freshConfig();
    assertThat(config.mode()).as("the default trigger").isEqualTo(SpeedConfig.Mode.REAL_TIME);
    prepare(config, List.of(state("alice", 800, 10, "vip"), state("bob", 500, 3)),
        List.of(config.notificationsTopic(), config.decoratedTopic(), config.gatedTopic(), config.routedPrefix() + "premium"));
    StreamingQuery query = SpeedJob.start(spark, config);
    // Sent while the long-running tasks already wait on the partition: decided as they come, not at the batch's end.
    produce(config, List.of(
        event("a1", "alice", "add_to_cart", "{\"sku\":\"s1\",\"price\":120.0,\"quantity\":2}"),
        event("b1", "bob", "add_to_cart", "{\"sku\":\"s2\",\"price\":10.0,\"quantity\":1}"),
        event("d1", "dave", "purchase", "{\"order_id\":\"o1\",\"total\":5.0,\"items\":1}"),
        event("a2", "alice", "page_view", "{}")));
    await("the first events to be decided", Duration.ofMinutes(1), () -> passed(config).size() >= 3);
    query.stop();

    produce(config, List.of(event("a3", "alice", "add_to_cart", "{\"sku\":\"s4\",\"price\":450.0,\"quantity\":1}")));
    StreamingQuery restarted = SpeedJob.start(spark, config);
    await("the event after the restart", Duration.ofMinutes(1), () -> passed(config).contains("a3"));
    restarted.stop();

    assertThat(passed(config)).as("dave is new: his purchase is held back").containsExactly("a1", "a2", "a3", "b1");
    assertThat(keys(records(config, config.notificationsTopic()))).isEqualTo(new TreeSet<>(List.of(
        notificationId("vip_cart", "a1"), notificationId("vip_cart", "a3"), notificationId("big_spender_today", "a3"))));
    // Stopped before its batch committed, the query decides that batch again after the restart: copies,
    // never new records (at least once, the same keys and values).
    assertThat(records(config, config.routedPrefix() + "premium")).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
        .map(v -> EventJson.decodeEvent(v.getBytes(StandardCharsets.UTF_8)).eventId()).containsOnly("a1", "a2", "a3")
        .contains("a1", "a2", "a3");
    List<String> decorations = records(config, config.decoratedTopic()).stream()
        .map(r -> new String(r.value(), StandardCharsets.UTF_8)).distinct().toList();
    assertThat(decorations).as("carts and purchases decorated, each in one way").hasSize(4);
  }

  /** Also: events of a user erased after they were collected (in flight, or replayed) are dropped. */
  @Test
  void aRedeliveredCopyOfAnEventCountsOnceInTheSpeedView(SparkSession spark) throws Exception {
    SpeedConfig config = freshConfig();
    prepare(config, List.of(state("alice", 500, 10), state("mallory", 900, 10)),
        List.of(config.notificationsTopic(), config.decoratedTopic(), config.gatedTopic()));
    String cart = "{\"sku\":\"s\",\"price\":100.0,\"quantity\":1}";
    Event first = event("r1", "alice", "add_to_cart", cart);
    try (Connection connection = ConnectionFactory.createConnection(config.state().hbase())) {
      ErasedRegister.record(connection, config.state(), List.of(new ErasedRegister.Entry(
          config.erasureKey().hmac("mallory"), "user_id", Instant.now().plusSeconds(3600))));
    }
    // r1 arrives twice (a client retry the collector could not recognise, or a producer retry): one event.
    produce(config, List.of(event("m1", "mallory", "add_to_cart", cart), first, first,
        event("r2", "alice", "add_to_cart", cart)));
    StreamingQuery query = SpeedJob.start(spark, config);
    try {
      await("the three records to be decorated", Duration.ofMinutes(2),
          () -> records(config, config.decoratedTopic()).size() >= 3);
    } finally {
      query.stop();
    }
    // alice: 10 events in the batch view + r1 + r2 = 12 (not 13), and the cart value counts r1 once.
    assertThat(records(config, config.decoratedTopic()).stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)))
        .filteredOn(v -> v.contains("\"event_id\":\"r2\"")).singleElement().asString().contains("\"events\":12");
    // mallory's event came first in the partition: it was read, and nothing of it was recorded or sent.
    assertThat(records(config, config.decoratedTopic())).as("decorated").hasSize(3);
    try (Connection connection = ConnectionFactory.createConnection(config.state().hbase())) {
      assertThat(new dev.spoor.state.read.SpeedView(connection, config.state()).uncovered(List.of("mallory"), Map.of())
          .get("mallory").all()).as("mallory's speed counters").isEqualTo(dev.spoor.state.read.SpeedView.Counters.NONE);
    }
  }

  /**
   * A daily batch that read the lake when only l1 had landed commits its publish late, after l2 and l3
   * were decided: from then on alice's state is the batch view (with l1) plus the speed view beyond its
   * cutoff (l2, l3, l4), neither counting l1 twice nor dropping l2 and l3. Today's cart value passes
   * 500 at l3 (running: l2 alone did not) and stays 600 at l4 across the publish.
   */
  @Test
  void aLatePublishCoversPartOfTheSpeedViewWithoutDoubleCountOrGap(SparkSession spark) throws Exception {
    SpeedConfig config = freshConfig();
    prepare(config, List.of(state("alice", 800, 10)), List.of(config.notificationsTopic(), config.decoratedTopic()));
    String cart = "{\"sku\":\"s\",\"price\":200.0,\"quantity\":1}";
    produce(config, List.of(event("l1", "alice", "add_to_cart", cart), event("l2", "alice", "add_to_cart", cart),
        event("l3", "alice", "add_to_cart", cart)));
    StreamingQuery query = SpeedJob.start(spark, config);
    try {
      await("l1 to l3 to be decided", Duration.ofMinutes(2), () -> records(config, config.decoratedTopic()).size() >= 3);
      long l1 = records(config, config.goodTopic()).stream()
          .filter(r -> EventJson.decodeEvent(r.value()).eventId().equals("l1")).findFirst().orElseThrow().offset();
      try (Connection connection = ConnectionFactory.createConnection(config.state().hbase())) {
        publish(config, connection, "batch-late", List.of(state("alice", 800, 11)), Map.of(0, l1));
      }
      produce(config, List.of(event("l4", "alice", "add_to_cart", cart)));
      await("l4 to be decided", Duration.ofMinutes(2), () -> records(config, config.decoratedTopic()).size() >= 4);
    } finally {
      query.stop();
    }
    Map<String, String> decorated = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records(config, config.decoratedTopic())) {
      String value = new String(r.value(), StandardCharsets.UTF_8);
      decorated.put(value.replaceAll(".*\"event_id\":\"(l\\d)\".*", "$1"), value.substring(value.indexOf("\"state\":")));
    }
    assertThat(decorated).as("alice's events as each cart saw them").containsOnlyKeys("l1", "l2", "l3", "l4");
    assertThat(decorated.get("l3")).contains("\"events\":13");
    assertThat(decorated.get("l4")).as("11 in the late batch view + l2, l3, l4").contains("\"events\":14");
    Map<String, String> bigSpender = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records(config, config.notificationsTopic())) {
      String value = new String(r.value(), StandardCharsets.UTF_8);
      if (value.contains("\"rule\":\"big_spender_today\"")) {
        bigSpender.put(value.replaceAll(".*\"event_id\":\"(l\\d)\".*", "$1"),
            value.replaceAll(".*\"cart_value_today\":([0-9.]+).*", "$1"));
      }
    }
    assertThat(bigSpender).isEqualTo(Map.of("l3", "600.0", "l4", "600.0"));
  }

  /**
   * The daily batch is a week late: alice's speed view holds an event recorded eight days ago that no
   * committed publish covers (written here with that cell timestamp). It still counts, and the speed
   * layer reports how old it is, with the warning that the cells expire after the TTL.
   */
  @Test
  void anEventNoPublishCoveredForHalfTheTtlStillCountsAndRaisesTheWarning(SparkSession spark) throws Exception {
    SpeedConfig config = freshConfig();
    prepare(config, List.of(state("alice", 800, 1)), List.of(config.decoratedTopic()));
    Instant recorded = Instant.now().minus(Duration.ofDays(8));
    try (Connection connection = ConnectionFactory.createConnection(config.state().hbase());
         org.apache.hadoop.hbase.client.Table users = connection.getTable(new StateTables(config.state()).users())) {
      users.put(new org.apache.hadoop.hbase.client.Put(new dev.spoor.state.table.RowKeys(config.state().saltBuckets())
          .rowKey("alice")).addColumn(StateTables.SPEED, "old-1".getBytes(StandardCharsets.UTF_8), recorded.toEpochMilli(),
          ("0|0|add_to_cart|10.0|" + recorded.toEpochMilli()).getBytes(StandardCharsets.UTF_8)));
    }
    SpeedMetrics.takeOldestUncovered(Instant.now());
    produce(config, List.of(event("n1", "alice", "add_to_cart", "{\"sku\":\"s\",\"price\":1.0,\"quantity\":1}")));
    StreamingQuery query = SpeedJob.start(spark, config);
    try {
      await("n1 to be decided", Duration.ofMinutes(2), () -> records(config, config.decoratedTopic()).size() >= 1);
    } finally {
      query.stop();
    }
    assertThat(new String(records(config, config.decoratedTopic()).get(0).value(), StandardCharsets.UTF_8))
        .as("1 in the batch view + the week-old event + n1").contains("\"events\":3");
    assertThat(SpeedMetrics.oldestUncovered()).hasValue(recorded.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    assertThat(SpeedProgress.ttlWarning(recorded, Instant.now())).hasValueSatisfying(w -> assertThat(w)
        .contains("recorded 8.0 days ago").contains("expire 14 days after"));
    assertThat(SpeedProgress.ttlWarning(Instant.now().minus(Duration.ofDays(6)), Instant.now())).isEmpty();
  }

  /**
   * {@code bin/spoor speed} halted (failpoint {@code speed.mid-batch}, as a SIGKILL) in the middle of a
   * micro-batch: part of its notifications are in Kafka, its offsets are not committed. Started again
   * on the same checkpoint, it runs the batch again: every expected notification exists, every
   * record carries an expected id (a repeat has the same id, never a new one), and an event decided
   * again is decided as the first time (its state counts the events up to itself, not those recorded
   * since).
   */
  @Test
  void haltedMidBatchItRepeatsOnlyWithTheSameIdsAndMissesNone(SparkSession spark) throws Exception {
    SpeedConfig config = freshConfig();
    prepare(config, List.of(state("alice", 800, 1)), List.of(config.notificationsTopic(), config.decoratedTopic()));
    String cart = "{\"sku\":\"s\",\"price\":10.0,\"quantity\":1}";
    List<Event> carts = new ArrayList<>();
    Set<String> expected = new TreeSet<>();
    for (int i = 0; i < 12; i++) {
      carts.add(event("m" + i, "alice", "add_to_cart", cart));
      expected.add(notificationId("vip_cart", "m" + i));
    }
    produce(config, carts);
    Map<String, String> env = Map.of("SPOOR_TOPIC_GOOD", config.goodTopic(), "SPOOR_TOPIC_NOTIFICATIONS",
        config.notificationsTopic(), "SPOOR_TOPIC_DECORATED", config.decoratedTopic(), "SPOOR_STATE_NAMESPACE", config.state().namespace(), "SPOOR_SPEED_CHECKPOINT_DIR",
        dir.resolve("subprocess-checkpoint").toString(), "SPOOR_SPEED_STARTING_OFFSETS", "earliest",
        "SPOOR_SPEED_LOOKUP_CHUNK", "2", "SPOOR_SPEED_METRICS_PORT", "0", "SPOOR_SPEED_TRIGGER_INTERVAL", "5s");
    java.nio.file.Path log = dir.resolve("speed.log");
    Map<String, String> halting = new HashMap<>(env);
    halting.put("SPOOR_FAILPOINT", "speed.mid-batch@4"); // four chunks of two decided, the fifth not
    Process speed = dev.spoor.stack.testing.SpoorCommand.start(halting, log, "speed");
    assertThat(speed.waitFor(3, TimeUnit.MINUTES)).as("halted mid-batch").isTrue();
    assertThat(speed.exitValue()).as(java.nio.file.Files.readString(log)).isEqualTo(137);
    int before = records(config, config.notificationsTopic()).size();
    assertThat(before).as("notifications in Kafka when it halted").isLessThan(carts.size());

    java.nio.file.Path againLog = dir.resolve("speed-again.log");
    Process again = dev.spoor.stack.testing.SpoorCommand.start(env, againLog, "speed");
    try {
      await("every cart to be decided after the restart", Duration.ofMinutes(3),
          () -> keys(records(config, config.notificationsTopic())).size() >= carts.size());
      // Its Prometheus endpoint, scraped while it runs, once a batch has committed (real-time: every 5 s).
      await("a batch to commit", Duration.ofMinutes(1), () -> {
        try {
          return metric(scrape(againLog), "spoor_speed_batches_total") > 0;
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      String metrics = scrape(againLog);
      assertThat(metrics).contains("spoor_speed_decision_latency_seconds{quantile=\"0.99\"}")
          .contains("spoor_speed_kafka_lag_records ").contains("spoor_speed_oldest_uncovered_age_seconds");
      assertThat(metric(metrics, "spoor_speed_events_decided_total")).as(metrics).isPositive();
      assertThat(metric(metrics, "spoor_speed_batches_total")).as(metrics).isPositive();
    } finally {
      again.destroy();
      again.waitFor(60, TimeUnit.SECONDS);
    }
    List<ConsumerRecord<byte[], byte[]>> all = records(config, config.notificationsTopic());
    assertThat(keys(all)).isEqualTo(expected);
    // Each cart decorated with alice's events: 1 in the batch view + the carts up to and including it.
    await("every cart to be decorated", Duration.ofMinutes(1),
        () -> records(config, config.decoratedTopic()).size() >= carts.size());
    Map<String, Set<String>> decorations = new java.util.TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records(config, config.decoratedTopic())) {
      String value = new String(r.value(), StandardCharsets.UTF_8);
      java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"event_id\":\"(m\\d+)\"").matcher(value);
      assertThat(id.find()).as(value).isTrue();
      decorations.computeIfAbsent(id.group(1), k -> new TreeSet<>()).add(value.substring(value.indexOf("\"state\":")));
    }
    for (int i = 0; i < carts.size(); i++) {
      assertThat(decorations.get("m" + i)).as("decorations of m%d, first time and again", i)
          .containsExactly("\"state\":{\"score\":800,\"segments\":[],\"reason_codes\":[],\"events\":" + (i + 2) + "}}");
    }
    System.out.printf("speed mid-batch halt: %d notifications before the halt, %d records after the restart (%d repeated)%n",
        before, all.size(), all.size() - expected.size());
  }

  /** The metrics a running {@code bin/spoor speed} serves, at the address its log announced. */
  private static String scrape(java.nio.file.Path log) throws Exception {
    java.util.regex.Pattern address = java.util.regex.Pattern.compile("metrics at (http://\\S+/metrics)");
    await("the metrics address in " + log, Duration.ofMinutes(1), () -> {
      try {
        return address.matcher(java.nio.file.Files.readString(log)).find();
      } catch (java.io.IOException e) {
        return false;
      }
    });
    java.util.regex.Matcher m = address.matcher(java.nio.file.Files.readString(log));
    assertThat(m.find()).isTrue();
    var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(m.group(1)))
        .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static double metric(String metrics, String name) {
    return metrics.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
        .findFirst().orElseThrow(() -> new AssertionError(name + " not in " + metrics));
  }

  @Test
  void decisionsWaitOutAnHBaseOutageAndNoneIsSkipped(SparkSession spark, dev.spoor.stack.LocalStack stack) throws Exception {
    SpeedConfig config = freshConfig();
    prepare(config, List.of(state("alice", 800, 1, "vip")), List.of(config.notificationsTopic()));
    StreamingQuery query = SpeedJob.start(spark, config);
    try {
      String cart = "{\"sku\":\"s\",\"price\":10.0,\"quantity\":1}";
      produce(config, List.of(event("x1", "alice", "add_to_cart", cart)));
      await("the first notification", Duration.ofMinutes(2), () -> records(config, config.notificationsTopic()).size() == 1);

      long outagesBefore = SpeedMetrics.stateStoreOutages();
      stack.down(List.of("hbase"), line -> { });
      try {
        produce(config, List.of(event("x2", "alice", "add_to_cart", cart), event("x3", "alice", "add_to_cart", cart)));
        await("the speed layer to notice the outage", Duration.ofMinutes(3),
            () -> SpeedMetrics.stateStoreOutages() > outagesBefore);
        assertThat(records(config, config.notificationsTopic())).as("no decision without state").hasSize(1);
      } finally {
        stack.up(List.of("hbase"), line -> { });
      }

      await("the held events to be decided", Duration.ofMinutes(3), () -> records(config, config.notificationsTopic()).size() >= 3);
      assertThat(query.isActive()).as("the query stayed up").isTrue();
      assertThat(keys(records(config, config.notificationsTopic()))).containsExactlyInAnyOrder(
          notificationId("vip_cart", "x1"), notificationId("vip_cart", "x2"), notificationId("vip_cart", "x3"));
    } finally {
      query.stop();
    }
  }
}
