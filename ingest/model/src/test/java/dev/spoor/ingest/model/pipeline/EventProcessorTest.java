package dev.spoor.ingest.model.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spoor.ingest.model.Fixtures;
import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.EventJson;
import dev.spoor.ingest.model.event.FailureType;
import dev.spoor.ingest.model.event.Processed;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class EventProcessorTest {
  private static RawEvent raw(String schema, ObjectNode properties, String ip, Instant created, Instant sent) {
    ObjectNode source = JsonNodeFactory.instance.objectNode().put("k", "v");
    return new RawEvent("test", null, "shop", "web", "add_to_cart", schema, "u-1", null, null, created, sent, null,
        Fixtures.COLLECTOR, null, null, null, ip, properties, null, "t", source, "raw");
  }

  private static ObjectNode cart() {
    return JsonNodeFactory.instance.objectNode().put("sku", "a").put("price", 2.5).put("quantity", 1);
  }

  /** The same event without an id, delivered at {@code collector} (a retry has a later one). */
  private static RawEvent withoutId(ObjectNode sent, Instant collector) {
    return new RawEvent("test", null, "shop", "web", "add_to_cart", "iglu:com.acme/add_to_cart/jsonschema/1-0-0",
        "u-1", null, null, Instant.parse("2026-11-19T23:00:00Z"), null, null, collector, null, null, null, null,
        cart(), null, "t", sent, "raw");
  }

  @Test
  void aRetriedEventWithoutAnIdIsMintedTheSameIdSoItIsDeduplicatedAsOne() {
    ObjectNode sent = JsonNodeFactory.instance.objectNode().put("event", "add_to_cart").put("created_at", 1);
    Event first = ((Processed.Good) Fixtures.processor().process(withoutId(sent, Fixtures.COLLECTOR))).event();
    Event retry = ((Processed.Good) Fixtures.processor().process(withoutId(sent.deepCopy().put("sent_at", 9),
        Fixtures.COLLECTOR.plusSeconds(30)))).event();
    Event another = ((Processed.Good) Fixtures.processor().process(withoutId(sent.deepCopy().put("created_at", 2),
        Fixtures.COLLECTOR))).event();

    assertThat(first.qualityFlags()).contains("event_id_minted");
    assertThat(retry.eventId()).isEqualTo(first.eventId());
    assertThat(retry.eventFingerprint()).isEqualTo(first.eventFingerprint());
    assertThat(another.eventId()).isNotEqualTo(first.eventId());
    assertThat(java.util.UUID.fromString(first.eventId()).toString()).isEqualTo(first.eventId());
  }

  @Test
  void eventDateIsTheUtcDateOfTheDerivedTime() {
    // Collector at 00:00:30 UTC; the device sent 2 minutes after creating: the event belongs to the day before.
    RawEvent late = new RawEvent("test", null, "shop", "web", "add_to_cart", "iglu:com.acme/add_to_cart/jsonschema/1-0-0",
        null, null, null, Instant.parse("2026-11-19T23:00:00Z"), Instant.parse("2026-11-19T23:02:00Z"), null,
        Instant.parse("2026-11-20T00:00:30Z"), null, null, null, null, cart(), null, null,
        JsonNodeFactory.instance.objectNode(), "raw");

    Event event = ((Processed.Good) Fixtures.processor().process(late)).event();

    assertThat(event.derivedTstamp()).isEqualTo(Instant.parse("2026-11-19T23:58:30Z"));
    assertThat(event.eventDate()).isEqualTo(LocalDate.of(2026, 11, 19));
  }

  @Test
  void anUnparseableIpIsDroppedAndFlaggedNotStored() {
    Event event = ((Processed.Good) Fixtures.processor().process(
        raw("iglu:com.acme/add_to_cart/jsonschema/1-0-0", cart(), "not-an-ip", null, null))).event();

    assertThat(event.userIpaddress()).isNull();
    assertThat(event.qualityFlags()).contains("user_ipaddress_unparseable");
  }

  @Test
  void aMalformedSchemaUriIsASchemaErrorKeepingTheRawPayload() {
    BadRow row = ((Processed.Bad) Fixtures.processor().process(raw("add_to_cart", cart(), null, null, null))).badRow();

    assertThat(row.failureType()).isEqualTo(FailureType.SCHEMA);
    assertThat(row.errors()).singleElement().asString().startsWith("schema: 'add_to_cart' is not an Iglu URI");
    assertThat(row.payload()).isEqualTo("raw");
    assertThat(row.source()).isEqualTo("test");
  }

  @Test
  void goodEventsAndBadRowsSurviveTheWireEncodingUnchanged() {
    Event event = ((Processed.Good) Fixtures.processor().process(raw("iglu:com.acme/add_to_cart/jsonschema/1-0-0",
        cart(), "203.0.113.9", Instant.parse("2026-11-20T11:59:00Z"), Instant.parse("2026-11-20T11:59:30Z")))).event();
    BadRow row = BadRow.of(FailureType.PARSE, java.util.List.of("body: malformed"), new byte[] {(byte) 0xFF, 1},
        Fixtures.COLLECTOR, "test", null, null);

    byte[] json = EventJson.encode(event);
    String text = new String(json, StandardCharsets.UTF_8);

    assertThat(EventJson.decodeEvent(json)).isEqualTo(event);
    assertThat(text).contains("\"event_id\":\"" + event.eventId() + "\"", "\"derived_tstamp\":\"2026-11-20T11:59:30Z\"",
        "\"event_date\":\"2026-11-20\"", "\"user_ipaddress\":\"203.0.113.0\"");
    assertThat(EventJson.decodeBadRow(EventJson.encode(row))).isEqualTo(row);
    assertThat(row.payloadEncoding()).isEqualTo("base64");
    assertThat(new String(EventJson.encode(row), StandardCharsets.UTF_8)).contains("\"failure_type\":\"parse\"");
  }
}
