package dev.spoor.ingest.model.compact;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.spoor.ingest.model.Fixtures;
import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.FailureType;
import dev.spoor.ingest.model.event.Processed;
import dev.spoor.ingest.model.pipeline.ParsedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BatchPayloadTest {
  private static final CompactLayouts LAYOUTS = CompactLayouts.from(ConfigFactory.parseString(
      "add_to_cart { schema = \"iglu:com.acme/add_to_cart/jsonschema/1-1-0\", fields = [sku, price, quantity, currency] }\n"
          + "page_view { schema = \"iglu:com.snowplowanalytics.snowplow/page_view/jsonschema/1-0-0\", fields = [page_title] }"),
      "layouts", Fixtures.schemas());
  private static final String EID = "6f1c2f9e-5b0e-4c1e-9a57-0f0e8d2a0b11";

  private static BatchPayload.Envelope parse(String body, BatchPayload.Format format) {
    return BatchPayload.parse(body.getBytes(StandardCharsets.UTF_8), format, LAYOUTS, Fixtures.REQUEST, 10);
  }

  private static Processed process(ParsedEvent parsed) {
    if (parsed instanceof ParsedEvent.Rejected r) {
      return Processed.bad(r.badRow());
    }
    return Fixtures.processor().process(((ParsedEvent.Ok) parsed).event());
  }

  @Test
  void compactEventsAreLaidOutByTheirDeclaredFieldsAndShareTheMetadata() {
    BatchPayload.Envelope envelope = parse("{\"write_key\":\"wk_shop_2026_a\",\"sent_at\":1763639995000,"
        + "\"meta\":{\"app_id\":\"shop\",\"user_id\":\"u-1\",\"domain_sessionid\":\"s-1\"},"
        + "\"events\":[[\"add_to_cart\",\"" + EID + "\",1763639990000,[\"sku-1\",19.99,2,\"EUR\"]],"
        + "[\"page_view\",null,null,[\"Home\"],{\"page_url\":\"https://shop.example/\"}]]}", BatchPayload.Format.COMPACT);

    assertThat(envelope.error()).isNull();
    assertThat(envelope.batch().writeKey()).isEqualTo("wk_shop_2026_a");
    Event cart = ((Processed.Good) process(envelope.batch().events().get(0))).event();
    Event view = ((Processed.Good) process(envelope.batch().events().get(1))).event();
    assertThat(cart.eventId()).isEqualTo(EID);
    assertThat(cart.eventName()).isEqualTo("add_to_cart");
    assertThat(cart.schema()).isEqualTo("iglu:com.acme/add_to_cart/jsonschema/1-1-0");
    assertThat(cart.properties()).isEqualTo("{\"sku\":\"sku-1\",\"price\":19.99,\"quantity\":2,\"currency\":\"EUR\"}");
    assertThat(cart.userId()).isEqualTo("u-1");
    assertThat(cart.dvceCreatedTstamp()).isEqualTo(Instant.ofEpochMilli(1763639990000L));
    assertThat(cart.derivedTstamp()).isEqualTo(Fixtures.COLLECTOR.minusSeconds(5));
    assertThat(view.pageUrl()).isEqualTo("https://shop.example/");
    assertThat(view.domainSessionid()).isEqualTo("s-1");
    assertThat(view.qualityFlags()).contains("event_id_minted");
  }

  @Test
  void plainJsonEventsNameTheirSchemaOrUseTheLayouts() {
    BatchPayload.Envelope envelope = parse("{\"events\":["
        + "{\"event\":\"add_to_cart\",\"schema\":\"iglu:com.acme/add_to_cart/jsonschema/1-0-0\","
        + "\"properties\":{\"sku\":\"a\",\"price\":1,\"quantity\":1},\"user_id\":\"u-2\"},"
        + "{\"event\":\"page_view\",\"properties\":{\"page_title\":\"Home\"}}]}", BatchPayload.Format.OBJECTS);

    Event first = ((Processed.Good) process(envelope.batch().events().get(0))).event();
    Event second = ((Processed.Good) process(envelope.batch().events().get(1))).event();
    assertThat(first.schema()).isEqualTo("iglu:com.acme/add_to_cart/jsonschema/1-0-0");
    assertThat(first.userId()).isEqualTo("u-2");
    assertThat(second.schema()).isEqualTo("iglu:com.snowplowanalytics.snowplow/page_view/jsonschema/1-0-0");
  }

  @Test
  void eachBadEventIsABadRowNamingItsIndexAndTheOthersStillPass() {
    BatchPayload.Envelope envelope = parse("{\"events\":["
        + "[\"add_to_cart\",null,null,[\"sku-1\",19.99,2,\"EUR\"]],"
        + "[\"add_to_cart\",null,null,[\"sku-1\",19.99]],"
        + "[\"teleport\",null,null,[]],"
        + "[\"add_to_cart\",null,\"yesterday\",[\"sku-1\",19.99,2,\"EUR\"]],"
        + "[\"add_to_cart\",null,null,[\"sku-1\",\"free\",2,\"EUR\"]],"
        + "\"junk\"]}", BatchPayload.Format.COMPACT);

    assertThat(envelope.batch().events()).hasSize(6);
    assertThat(process(envelope.batch().events().get(0))).isInstanceOf(Processed.Good.class);
    BadRow wrongArity = ((Processed.Bad) process(envelope.batch().events().get(1))).badRow();
    BadRow unknown = ((Processed.Bad) process(envelope.batch().events().get(2))).badRow();
    BadRow badTime = ((Processed.Bad) process(envelope.batch().events().get(3))).badRow();
    BadRow wrongType = ((Processed.Bad) process(envelope.batch().events().get(4))).badRow();
    BadRow junk = ((Processed.Bad) process(envelope.batch().events().get(5))).badRow();
    assertThat(wrongArity.errors()).singleElement().asString().startsWith("events[1][3]: expected 4 values");
    assertThat(unknown.failureType()).isEqualTo(FailureType.SCHEMA);
    assertThat(unknown.errors()).singleElement().asString().startsWith("events[2][0]: no compact layout for 'teleport'");
    assertThat(badTime.errors()).singleElement().asString().startsWith("events[3][2] (created_ms): expected epoch milliseconds");
    assertThat(wrongType.failureType()).isEqualTo(FailureType.SCHEMA);
    assertThat(wrongType.errors()).singleElement().asString().startsWith("properties.price: ");
    assertThat(junk.errors()).singleElement().asString().startsWith("events[5]: expected [name, event_id");
    assertThat(junk.payload()).isEqualTo("\"junk\"");
  }

  @Test
  void envelopeProblemsRejectTheWholeRequest() {
    assertThat(parse("{\"events\": [", BatchPayload.Format.COMPACT).error()).startsWith("body: malformed JSON");
    assertThat(parse("{\"evnts\": []}", BatchPayload.Format.COMPACT).error()).startsWith("evnts: unknown field");
    assertThat(parse("{\"meta\": {\"ip\": \"1.2.3.4\"}, \"events\": []}", BatchPayload.Format.COMPACT).error())
        .startsWith("meta.ip: unknown field");
    assertThat(parse("{\"sent_at\": \"now\", \"events\": []}", BatchPayload.Format.COMPACT).error())
        .startsWith("sent_at: expected epoch milliseconds");
    assertThat(parse("{\"events\": [" + "[],".repeat(10) + "[]]}", BatchPayload.Format.COMPACT).error())
        .isEqualTo("events: 11 events, more than the limit of 10");
  }
}
