package dev.spoor.ingest.lander.landing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.ingest.lander.TestEvents;
import dev.spoor.lake.LakeTables;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.EventJson;
import dev.spoor.testing.spark.DatasetAssertions;
import dev.spoor.testing.spark.SparkExtension;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkExtension.class)
class KafkaDecodingTest {
  @Test
  void eventsKeepEveryFieldWithNanosecondTimestampsToTheMicrosecond(SparkSession spark) {
    Event event = TestEvents.event(Instant.parse("2026-11-17T08:00:00.123456789Z"), Instant.parse("2026-11-20T12:00:00.5Z"));

    Dataset<Row> events = KafkaDecoding.events(KafkaDecoding.decodeEvents(
        TestEvents.kafka(spark, "good", 0, TestEvents.encode(List.of(event))), TestEvents.PROPERTIES));

    DatasetAssertions.assertSchema(events, LakeTables.EVENTS_TABLE);
    Row row = events.first();
    assertThat(row.<String>getAs("event_id")).isEqualTo(event.eventId());
    assertThat(row.<java.sql.Timestamp>getAs("derived_tstamp").toInstant()).isEqualTo(Instant.parse("2026-11-17T08:00:00.123456Z"));
    assertThat(row.<java.sql.Timestamp>getAs("collector_tstamp").toInstant()).isEqualTo(Instant.parse("2026-11-20T12:00:00.5Z"));
    assertThat(row.<java.sql.Date>getAs("event_date").toLocalDate()).isEqualTo(java.time.LocalDate.of(2026, 11, 17));
    assertThat(row.<String>getAs("properties")).isEqualTo(event.properties());
    assertThat(row.<Long>getAs("kafka_offset")).isZero();
  }

  @Test
  void recordsThatAreNotEventsBecomeParseBadRowsWithTheirBytes(SparkSession spark) {
    byte[] notJson = "not json at all".getBytes(StandardCharsets.UTF_8);
    byte[] noId = "{\"event_name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    byte[] good = EventJson.encode(TestEvents.event(Instant.parse("2026-11-20T11:00:00Z"), Instant.parse("2026-11-20T11:00:01Z")));

    Dataset<Row> decoded = KafkaDecoding.decodeEvents(TestEvents.kafka(spark, "good", 0, List.of(notJson, good, noId)), TestEvents.PROPERTIES);
    Dataset<Row> bad = KafkaDecoding.undecodable(decoded);

    assertThat(KafkaDecoding.events(decoded).count()).isEqualTo(1);
    DatasetAssertions.assertSchema(bad, LakeTables.BAD_EVENTS_TABLE);
    List<Row> rows = bad.orderBy("kafka_offset").collectAsList();
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).<String>getAs("failure_type")).isEqualTo("parse");
    assertThat(rows.get(0).<String>getAs("payload")).isEqualTo(java.util.Base64.getEncoder().encodeToString(notJson));
    assertThat(rows.get(1).<scala.collection.Seq<String>>getAs("errors").head()).contains("good/0@2 is not a Spoor event");
  }

  @Test
  void poisonEventsBecomeSchemaBadRowsNamingThePropertyAndKeepingTheirId(SparkSession spark) {
    Instant at = Instant.parse("2026-11-20T11:00:00Z");
    List<String> poison = List.of(
        "{\"sku\":\"a\",\"price\":\"Infinity\",\"quantity\":1}",
        "{\"sku\":\"a\",\"price\":1e999999999,\"quantity\":1}",
        "{\"sku\":\"a\",\"price\":2.5,\"quantity\":\"lots\"}",
        "{\"sku\":\"a\",\"price\":NaN,\"quantity\":1}",
        "{\"sku\":\"a\",\"price\":1" + "0".repeat(400) + ",\"quantity\":1}");
    List<Event> events = new java.util.ArrayList<>();
    for (String properties : poison) {
      events.add(TestEvents.cart(java.util.UUID.randomUUID().toString(), "u-1", at, at, "f".repeat(32), properties));
    }
    events.add(TestEvents.event(at, at));

    Dataset<Row> decoded = KafkaDecoding.decodeEvents(TestEvents.kafka(spark, "good", 0, TestEvents.encode(events)),
        TestEvents.PROPERTIES);
    List<Row> bad = KafkaDecoding.undecodable(decoded).orderBy("kafka_offset").collectAsList();

    assertThat(KafkaDecoding.events(decoded).select("event_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactly(events.get(5).eventId());
    assertThat(bad).extracting(r -> r.<String>getAs("failure_type")).containsOnly("schema");
    assertThat(bad).extracting(r -> r.<String>getAs("event_id"))
        .containsExactlyElementsOf(events.subList(0, 5).stream().map(Event::eventId).toList());
    for (int nonFinite : new int[] {0, 1, 3, 4}) {
      assertThat(bad.get(nonFinite).<scala.collection.Seq<String>>getAs("errors").head()).as(poison.get(nonFinite))
          .contains("properties.price").contains("is not a finite number");
    }
    assertThat(bad.get(2).<scala.collection.Seq<String>>getAs("errors").head()).contains("properties.quantity: lots")
        .contains("not a double"); // integer in com.acme/add_to_cart, number in Snowplow's: widened
  }

  @Test
  void badRowsKeepTheirReasonsAndAreDatedByArrival(SparkSession spark) {
    byte[] row = EventJson.encode(TestEvents.badRow("properties.price: string found, number expected",
        Instant.parse("2026-11-19T23:59:59Z")));

    Dataset<Row> bad = KafkaDecoding.badRows(TestEvents.kafka(spark, "bad", List.of(row, "garbage".getBytes(StandardCharsets.UTF_8))));

    DatasetAssertions.assertSchema(bad, LakeTables.BAD_EVENTS_TABLE);
    List<Row> rows = bad.orderBy("kafka_offset").collectAsList();
    assertThat(rows.get(0).<String>getAs("failure_type")).isEqualTo("schema");
    assertThat(rows.get(0).<java.sql.Date>getAs("arrival_date").toLocalDate()).isEqualTo(java.time.LocalDate.of(2026, 11, 19));
    assertThat(rows.get(1).<String>getAs("failure_type")).isEqualTo("parse");
    assertThat(rows.get(1).<String>getAs("payload_encoding")).isEqualTo("base64");
  }

  @Test
  void aTruncatedPayloadLandsFlaggedWithTheWholeOnesSizeAndHash(SparkSession spark) {
    byte[] huge = "x".repeat(200_000).getBytes(StandardCharsets.UTF_8);
    byte[] row = EventJson.encode(dev.spoor.ingest.model.event.BadRow.of(dev.spoor.ingest.model.event.FailureType.SIZE,
        List.of("body: 200000 bytes"), huge, Instant.parse("2026-11-19T12:00:00Z"), "spoor-events", null, null));

    List<Row> rows = KafkaDecoding.badRows(TestEvents.kafka(spark, "bad", List.of(row, "garbage".getBytes(StandardCharsets.UTF_8))))
        .orderBy("kafka_offset").collectAsList();

    assertThat(rows.get(0).<Boolean>getAs("payload_truncated")).isTrue();
    assertThat(rows.get(0).<Long>getAs("payload_bytes")).isEqualTo(200_000L);
    assertThat(rows.get(0).<String>getAs("payload_sha256")).hasSize(64);
    assertThat(rows.get(0).<String>getAs("payload").length()).isLessThan(huge.length);
    assertThat(rows.get(1).<Boolean>getAs("payload_truncated")).isFalse();
    assertThat(rows.get(1).<Long>getAs("payload_bytes")).isEqualTo(7L);
  }
}
