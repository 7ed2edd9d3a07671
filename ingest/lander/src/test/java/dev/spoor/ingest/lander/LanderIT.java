package dev.spoor.ingest.lander;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.spoor.ingest.lander.config.LanderConfig;
import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.EventJson;
import dev.spoor.stack.testing.TestStackConfig;
import dev.spoor.stack.testing.UsesLocalStack;
import dev.spoor.testing.spark.SparkExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real Kafka, real Spark and Delta: events redelivered (20 %), shuffled and days late (5 %) land
 * exactly once in their event-time partitions; bad rows all land with their reasons.
 */
@UsesLocalStack("kafka")
@ExtendWith(SparkExtension.class)
class LanderIT {
  private static final int UNIQUE = 3000;

  static LanderConfig config(String run, Map<String, Object> extra) {
    Map<String, Object> overrides = new HashMap<>(extra);
    overrides.put("spoor.kafka.topics.good", "it.lander.good." + run);
    overrides.put("spoor.kafka.topics.bad", "it.lander.bad." + run);
    overrides.put("spoor.lake.root", TestStackConfig.home().resolve("target/spoor-it/lake-" + run).toString());
    overrides.putIfAbsent("spoor.lander.max-offsets-per-trigger", 2000);
    return LanderConfig.from(ConfigFactory.parseMap(overrides).withFallback(TestStackConfig.config()));
  }

  @Test
  void duplicatedShuffledAndLateEventsLandExactlyOnceInTheirPartitions(SparkSession spark) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    LanderConfig config = config(run, Map.of());
    KafkaTopics.create(config.bootstrapServers(), 4, config.goodTopic(), config.badTopic());
    Random random = new Random(42);
    Instant now = Instant.now();
    List<Event> unique = new ArrayList<>();
    for (int i = 0; i < UNIQUE; i++) {
      boolean late = i % 20 == 0; // 5 %
      Instant happened = late ? now.minus(Duration.ofDays(2 + random.nextInt(4))) : now.minusSeconds(random.nextInt(3600));
      unique.add(TestEvents.event(UUID.randomUUID().toString(), "u-" + (i % 97), happened,
          now.plusMillis(i), UUID.randomUUID().toString().replace("-", "")));
    }
    List<Event> delivered = new ArrayList<>(unique);
    for (int i = 0; i < UNIQUE / 5; i++) { // 20 % redelivered, later, by another collector request
      Event original = unique.get(random.nextInt(UNIQUE));
      delivered.add(TestEvents.event(original.eventId(), original.userId(), original.derivedTstamp(),
          original.collectorTstamp().plusSeconds(1 + random.nextInt(300)), original.eventFingerprint()));
    }
    Collections.shuffle(delivered, random);
    KafkaTopics.produce(config.bootstrapServers(), config.goodTopic(),
        delivered.stream().map(Event::partitionKey).toList(), TestEvents.encode(delivered));
    List<BadRow> bad = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      bad.add(TestEvents.badRow("properties.price: string found, number expected #" + i, now));
    }
    KafkaTopics.produce(config.bootstrapServers(), config.badTopic(), Collections.nCopies(bad.size(), null),
        bad.stream().map(EventJson::encode).toList());

    for (StreamingQuery query : LanderJob.start(spark, config, Trigger.AvailableNow())) {
      query.awaitTermination();
      assertThat(query.exception().isEmpty()).isTrue();
    }

    List<Row> events = spark.read().format("delta").load(config.table("events"))
        .select("event_id", "event_date").collectAsList();
    Map<String, String> landed = events.stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getDate(1).toString()));
    assertThat(events).hasSize(UNIQUE);
    assertThat(landed).hasSize(UNIQUE);
    for (Event event : unique) {
      assertThat(landed.get(event.eventId())).as(event.eventId()).isEqualTo(event.eventDate().toString());
    }
    List<Row> badLanded = spark.read().format("delta").load(config.table("bad_events"))
        .select("failure_type", "errors").collectAsList();
    assertThat(badLanded).hasSize(50).allSatisfy(r -> {
      assertThat(r.getString(0)).isEqualTo("schema");
      assertThat(r.<String>getList(1).get(0)).startsWith("properties.price: string found");
    });

    // Run again: nothing new in Kafka, nothing changes.
    for (StreamingQuery query : LanderJob.start(spark, config, Trigger.AvailableNow())) {
      query.awaitTermination();
    }
    assertThat(spark.read().format("delta").load(config.table("events")).count()).isEqualTo(UNIQUE);
    assertThat(new String(EventJson.encode(unique.get(0)), StandardCharsets.UTF_8)).contains(unique.get(0).eventId());
  }
}
