package dev.spoor.ingest.lander;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spoor.ingest.lander.config.LanderConfig;
import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.EventJson;
import dev.spoor.stack.testing.UsesLocalStack;
import dev.spoor.testing.spark.SparkExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lander on real Kafka and Delta where exactness used to break: a topic nobody has produced to
 * yet, and a lost checkpoint restarted from {@code earliest}.
 */
@UsesLocalStack("kafka")
@ExtendWith(SparkExtension.class)
class LanderExactnessIT {
  private static void land(SparkSession spark, LanderConfig config) throws Exception {
    for (StreamingQuery query : LanderJob.start(spark, config, Trigger.AvailableNow())) {
      query.awaitTermination();
      assertThat(query.exception().isEmpty()).as(query.name() + ": " + query.exception()).isTrue();
    }
  }

  private static long count(SparkSession spark, LanderConfig config, String table) {
    return spark.read().format("delta").load(config.table(table)).count();
  }

  @Test
  void onAFreshStackOnlyGoodEventsLandWithoutTheBadTopicExisting(SparkSession spark) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    LanderConfig config = LanderIT.config(run, Map.of());
    KafkaTopics.create(config.bootstrapServers(), 2, config.goodTopic()); // the bad topic: never produced to
    Instant now = Instant.now();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      events.add(TestEvents.event(now.minusSeconds(i), now));
    }
    KafkaTopics.produce(config.bootstrapServers(), config.goodTopic(),
        events.stream().map(Event::partitionKey).toList(), TestEvents.encode(events));

    land(spark, config);

    assertThat(count(spark, config, "events")).isEqualTo(events.size());
    assertThat(count(spark, config, "bad_events")).isZero();
  }

  @Test
  void aLostCheckpointRestartedFromEarliestLandsNothingTwice(SparkSession spark) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    LanderConfig config = LanderIT.config(run, Map.of("spoor.lander.max-offsets-per-trigger", 50));
    KafkaTopics.create(config.bootstrapServers(), 2, config.goodTopic(), config.badTopic());
    Instant now = Instant.now();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      // a third of them on an old day, which is then archived (deleted from events)
      Instant happened = i % 3 == 0 ? now.minus(Duration.ofDays(20)) : now.minusSeconds(i);
      events.add(TestEvents.event(UUID.randomUUID().toString(), "u-" + (i % 7), happened, now.minus(Duration.ofDays(i % 3 == 0 ? 20 : 0)),
          UUID.randomUUID().toString().replace("-", "")));
    }
    KafkaTopics.produce(config.bootstrapServers(), config.goodTopic(),
        events.stream().map(Event::partitionKey).toList(), TestEvents.encode(events));
    List<byte[]> undecodable = List.of("not json".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));
    KafkaTopics.produce(config.bootstrapServers(), config.goodTopic(), Collections.nCopies(2, "x"), undecodable);
    List<BadRow> bad = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      bad.add(TestEvents.badRow("properties.price: string found, number expected #" + i, now));
    }
    KafkaTopics.produce(config.bootstrapServers(), config.badTopic(), Collections.nCopies(bad.size(), null),
        bad.stream().map(EventJson::encode).toList());

    land(spark, config);
    long old = events.stream().filter(e -> e.derivedTstamp().isBefore(now.minus(Duration.ofDays(10)))).count();
    assertThat(count(spark, config, "events")).isEqualTo(events.size());
    assertThat(count(spark, config, "bad_events")).isEqualTo(bad.size() + undecodable.size());
    spark.sql("DELETE FROM delta.`" + config.table("events") + "` WHERE event_date < current_date() - 10");
    assertThat(count(spark, config, "events")).isEqualTo(events.size() - old);

    // The checkpoint is lost; the operator starts the lander again from the start of the topics.
    org.apache.commons.io.FileUtils.deleteDirectory(Path.of(config.checkpointDir()).toFile());
    LanderConfig fromEarliest = LanderIT.config(run, Map.of("spoor.lander.max-offsets-per-trigger", 50,
        "spoor.lander.starting-offsets", "earliest"));
    land(spark, fromEarliest);

    assertThat(count(spark, config, "events")).as("events: archived days stay archived, nothing twice")
        .isEqualTo(events.size() - old);
    assertThat(count(spark, config, "bad_events")).as("bad rows, nothing twice").isEqualTo(bad.size() + undecodable.size());
  }

  @Test
  void aLostCheckpointStartedAtLatestResumesWhereLandingStoppedInsteadOfSkippingTheGap(SparkSession spark)
      throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    LanderConfig config = LanderIT.config(run, Map.of("spoor.lander.starting-offsets", "latest"));
    KafkaTopics.create(config.bootstrapServers(), 2, config.goodTopic(), config.badTopic());
    Instant now = Instant.now();
    List<Event> before = new ArrayList<>();
    List<Event> whileDown = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      (i < 30 ? before : whileDown).add(TestEvents.event(now.minusSeconds(i), now.plusMillis(i)));
    }
    land(spark, config); // a new checkpoint at the end of the (empty) topic
    KafkaTopics.produce(config.bootstrapServers(), config.goodTopic(), before.stream().map(Event::partitionKey).toList(),
        TestEvents.encode(before));
    land(spark, config);
    assertThat(count(spark, config, "events")).isEqualTo(before.size());

    // The checkpoint is lost while the lander is down and events keep arriving.
    org.apache.commons.io.FileUtils.deleteDirectory(Path.of(config.checkpointDir()).toFile());
    KafkaTopics.produce(config.bootstrapServers(), config.goodTopic(), whileDown.stream().map(Event::partitionKey).toList(),
        TestEvents.encode(whileDown));
    land(spark, config);

    assertThat(count(spark, config, "events")).as("every event once: the gap landed, nothing twice")
        .isEqualTo(before.size() + whileDown.size());
  }

  @Test
  void aLakeNeverResumesOnATopicThatWasDeletedAndCreatedAgainButSaysWhy(SparkSession spark) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    LanderConfig config = LanderIT.config(run, Map.of());
    KafkaTopics.create(config.bootstrapServers(), 1, config.goodTopic(), config.badTopic());
    Instant now = Instant.now();
    List<Event> first = List.of(TestEvents.event(now, now), TestEvents.event(now, now), TestEvents.event(now, now));
    KafkaTopics.produce(config.bootstrapServers(), config.goodTopic(), first.stream().map(Event::partitionKey).toList(),
        TestEvents.encode(first));
    land(spark, config);

    // The topic is deleted and created again (its offsets start at 0) while the checkpoint is lost.
    org.apache.commons.io.FileUtils.deleteDirectory(Path.of(config.checkpointDir()).toFile());
    try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", config.bootstrapServers()))) {
      admin.deleteTopics(List.of(config.goodTopic())).all().get();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) { // the broker deletes asynchronously: create again once the name is free
      try {
        KafkaTopics.create(config.bootstrapServers(), 1, config.goodTopic());
        break;
      } catch (Exception stillBeingDeleted) {
        assertThat(System.nanoTime()).as("topic deleted within 30 s: " + stillBeingDeleted).isLessThan(deadline);
        Thread.onSpinWait();
      }
    }
    KafkaTopics.produce(config.bootstrapServers(), config.goodTopic(), List.of("u"),
        TestEvents.encode(List.of(TestEvents.event(now, now))));

    assertThatThrownBy(() -> LanderJob.start(spark, config, Trigger.AvailableNow()))
        .isInstanceOf(dev.spoor.config.InvalidConfigException.class)
        .hasMessageContaining("has landed " + config.goodTopic() + " up to offset 2 of partition 0, but the topic ends at 1");
    assertThat(count(spark, config, "events")).isEqualTo(first.size());
  }

  @Test
  void poisonEventsWrittenStraightToTheGoodTopicBecomeBadRowsAndEverythingElseLandsAndIsCounted(SparkSession spark)
      throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    LanderConfig config = LanderIT.config(run, Map.of());
    KafkaTopics.create(config.bootstrapServers(), 2, config.goodTopic(), config.badTopic());
    Instant now = Instant.now();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      events.add(TestEvents.event(now.minusSeconds(i), now));
    }
    // Type-valid, but 1e11 does not fit the INT that the cart_value_per_hour view casts quantity to.
    events.add(TestEvents.cart(UUID.randomUUID().toString(), "u-big", now, now, "b".repeat(32),
        "{\"sku\":\"a\",\"price\":2.5,\"quantity\":100000000000}"));
    List<Event> poison = new ArrayList<>();
    for (String properties : List.of("{\"sku\":\"a\",\"price\":1e999999999,\"quantity\":1}",
        "{\"sku\":\"a\",\"price\":\"Infinity\",\"quantity\":1}", "{\"sku\":\"a\",\"price\":2.5,\"quantity\":\"lots\"}")) {
      poison.add(TestEvents.cart(UUID.randomUUID().toString(), "u-poison", now, now, "c".repeat(32), properties));
    }
    List<Event> all = new ArrayList<>(events);
    all.addAll(poison);
    KafkaTopics.produce(config.bootstrapServers(), config.goodTopic(), all.stream().map(Event::partitionKey).toList(),
        TestEvents.encode(all));

    land(spark, config);
    StreamingQuery views = LanderJob.startViews(spark, config, Trigger.AvailableNow()).orElseThrow();
    views.awaitTermination();
    assertThat(views.exception().isEmpty()).as("views: " + views.exception()).isTrue();

    assertThat(count(spark, config, "events")).isEqualTo(events.size());
    List<org.apache.spark.sql.Row> bad = spark.read().format("delta").load(config.table("bad_events"))
        .select("event_id", "failure_type", "errors").collectAsList();
    assertThat(bad).extracting(r -> r.getString(0))
        .containsExactlyInAnyOrderElementsOf(poison.stream().map(Event::eventId).toList());
    assertThat(bad).allSatisfy(r -> {
      assertThat(r.getString(1)).isEqualTo("schema");
      assertThat(r.<String>getList(2).get(0)).containsPattern("properties\\.(price|quantity): ");
    });
    long carts = spark.read().format("delta").load(config.table("cart_value_per_hour"))
        .agg(org.apache.spark.sql.functions.sum("carts")).first().getLong(0);
    assertThat(carts).as("every landed cart counted, the unevaluable one too").isEqualTo(events.size());
  }
}
