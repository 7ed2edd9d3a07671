package dev.spoor.ingest.model.snowplow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.ingest.model.Fixtures;
import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.FailureType;
import dev.spoor.ingest.model.event.Processed;
import dev.spoor.ingest.model.pipeline.FieldLimits;
import dev.spoor.ingest.model.pipeline.ParsedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackerProtocolTest {
  private static final String EID = "c6ef3124-b53a-4b13-a233-0088f79dcbcb";

  private static Map<String, String> params(String... kv) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      map.put(kv[i], kv[i + 1]);
    }
    return map;
  }

  private static Event good(Map<String, String> params) {
    ParsedEvent parsed = TrackerProtocol.parse(params, Fixtures.REQUEST, "raw");
    assertThat(parsed).isInstanceOf(ParsedEvent.Ok.class);
    Processed processed = Fixtures.processor().process(((ParsedEvent.Ok) parsed).event());
    assertThat(processed).as(processed.toString()).isInstanceOf(Processed.Good.class);
    return ((Processed.Good) processed).event();
  }

  private static BadRow bad(Map<String, String> params) {
    ParsedEvent parsed = TrackerProtocol.parse(params, Fixtures.REQUEST, "raw-payload");
    if (parsed instanceof ParsedEvent.Rejected rejected) {
      return rejected.badRow();
    }
    Processed processed = Fixtures.processor().process(((ParsedEvent.Ok) parsed).event());
    assertThat(processed).isInstanceOf(Processed.Bad.class);
    return ((Processed.Bad) processed).badRow();
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aPageViewMapsEveryTrackerFieldToTheCanonicalEvent() {
    Event event = good(params("e", "pv", "eid", EID, "aid", "shop", "p", "web", "uid", "user-1", "duid", "d-1",
        "sid", "s-1", "dtm", "1763639990000", "stm", "1763639995000", "url", "https://shop.example/p/1",
        "refr", "https://search.example/", "page", "Product 1", "tv", "js-3.0.0"));

    assertThat(event.eventId()).isEqualTo(EID);
    assertThat(event.eventName()).isEqualTo("page_view");
    assertThat(event.schema()).isEqualTo(TrackerProtocol.PAGE_VIEW_SCHEMA);
    assertThat(event.appId()).isEqualTo("shop");
    assertThat(event.platform()).isEqualTo("web");
    assertThat(event.userId()).isEqualTo("user-1");
    assertThat(event.domainUserid()).isEqualTo("d-1");
    assertThat(event.domainSessionid()).isEqualTo("s-1");
    assertThat(event.dvceCreatedTstamp()).isEqualTo(Instant.ofEpochMilli(1763639990000L));
    assertThat(event.dvceSentTstamp()).isEqualTo(Instant.ofEpochMilli(1763639995000L));
    assertThat(event.collectorTstamp()).isEqualTo(Fixtures.COLLECTOR);
    assertThat(event.derivedTstamp()).isEqualTo(Fixtures.COLLECTOR.minusSeconds(5));
    assertThat(event.eventDate()).isEqualTo(java.time.LocalDate.of(2026, 11, 20));
    assertThat(event.pageUrl()).isEqualTo("https://shop.example/p/1");
    assertThat(event.pageReferrer()).isEqualTo("https://search.example/");
    assertThat(event.properties()).isEqualTo("{\"page_title\":\"Product 1\"}");
    assertThat(event.useragent()).isEqualTo("Mozilla/5.0 test");
    assertThat(event.userIpaddress()).isEqualTo("203.0.113.0");
    assertThat(event.tracker()).isEqualTo("js-3.0.0");
    assertThat(event.contexts()).isEqualTo("[]");
  }

  @Test
  void aStructuredEventKeepsCategoryActionLabelPropertyAndValue() {
    Event event = good(params("e", "se", "se_ca", "shop", "se_ac", "add", "se_la", "sku-1", "se_pr", "red",
        "se_va", "19.90"));

    assertThat(event.eventName()).isEqualTo("event");
    assertThat(event.schema()).isEqualTo(TrackerProtocol.STRUCT_SCHEMA);
    assertThat(event.properties())
        .isEqualTo("{\"category\":\"shop\",\"action\":\"add\",\"label\":\"sku-1\",\"property\":\"red\",\"value\":19.90}");
    assertThat(event.qualityFlags()).contains("event_id_minted");
  }

  @Test
  @org.junit.jupiter.api.Timeout(5)
  void aStructuredValueOfNineHundredThousandDigitsIsRefusedBeforeItIsParsed() {
    BadRow row = bad(params("e", "se", "se_ca", "shop", "se_ac", "add", "se_va", "9".repeat(900_000)));

    assertThat(row.errors()).containsExactly("se_va: a number of 900000 characters, at most " + FieldLimits.NUMBER_TEXT);
  }

  @Test
  void aSelfDescribingEventInBase64WithContextsTakesItsSchemaAndKeepsTheDataVerbatim() {
    String ue = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0\","
        + "\"data\":{\"schema\":\"iglu:com.acme/add_to_cart/jsonschema/1-0-0\",\"data\":{\"sku\":\"a-1\",\"price\":19.90,\"quantity\":2}}}";
    String co = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0\",\"data\":["
        + "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0\",\"data\":{\"id\":\"" + EID + "\"}}]}";

    Event event = good(params("e", "ue", "ue_px", b64(ue), "cx", b64(co)));

    assertThat(event.eventName()).isEqualTo("add_to_cart");
    assertThat(event.schema()).isEqualTo("iglu:com.acme/add_to_cart/jsonschema/1-0-0");
    assertThat(event.properties()).isEqualTo("{\"sku\":\"a-1\",\"price\":19.90,\"quantity\":2}");
    assertThat(event.contexts()).contains("web_page").contains(EID);
  }

  @Test
  void theJsonFormsUePrAndCoWorkToo() {
    Event event = good(params("e", "ue",
        "ue_pr", "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0\","
            + "\"data\":{\"schema\":\"iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1\","
            + "\"data\":{\"targetUrl\":\"https://x.example\"}}}",
        "co", "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1\",\"data\":[]}"));

    assertThat(event.eventName()).isEqualTo("link_click");
  }

  @Test
  void pagePingsCarryTheirScrollOffsetsAsIntegers() {
    Event event = good(params("e", "pp", "pp_mix", "0", "pp_max", "10", "pp_miy", "5", "pp_may", "900"));

    assertThat(event.properties()).isEqualTo("{\"min_x\":0,\"max_x\":10,\"min_y\":5,\"max_y\":900}");
  }

  @Test
  void theUaParameterOverridesTheHeader() {
    assertThat(good(params("e", "pv", "ua", "CustomAgent/1.0")).useragent()).isEqualTo("CustomAgent/1.0");
  }

  @Test
  void aMissingEventTypeIsAParseErrorNamingE() {
    BadRow row = bad(params("aid", "shop"));

    assertThat(row.failureType()).isEqualTo(FailureType.PARSE);
    assertThat(row.errors()).singleElement().asString().startsWith("e: missing");
    assertThat(row.payload()).isEqualTo("raw-payload");
    assertThat(row.appId()).isEqualTo("shop");
  }

  @Test
  void invalidBase64AndMalformedJsonAndBadTimesAreAllReported() {
    BadRow row = bad(params("e", "ue", "ue_px", "!!!not-base64!!!", "co", "{\"schema\":", "dtm", "yesterday"));

    assertThat(row.failureType()).isEqualTo(FailureType.PARSE);
    assertThat(row.errors()).hasSize(3)
        .anySatisfy(e -> assertThat(e).startsWith("ue_px: not valid base64"))
        .anySatisfy(e -> assertThat(e).startsWith("co: malformed JSON"))
        .anySatisfy(e -> assertThat(e).startsWith("dtm: 'yesterday' is not a time"));
  }

  @Test
  void base64OfInvalidUtf8IsRejected() {
    String invalidUtf8 = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xC3, (byte) 0x28});

    assertThat(bad(params("e", "ue", "ue_px", invalidUtf8)).errors())
        .containsExactly("ue_px: not valid base64 of UTF-8 text");
  }

  @Test
  void dataViolatingItsSchemaIsASchemaErrorNamingTheField() {
    String ue = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0\","
        + "\"data\":{\"schema\":\"iglu:com.acme/add_to_cart/jsonschema/1-0-0\",\"data\":{\"sku\":\"a\",\"price\":\"free\",\"quantity\":1}}}";

    BadRow row = bad(params("e", "ue", "ue_pr", ue, "eid", EID));

    assertThat(row.failureType()).isEqualTo(FailureType.SCHEMA);
    assertThat(row.errors()).singleElement().asString().startsWith("properties.price: ");
    assertThat(row.eventId()).isEqualTo(EID);
  }

  @Test
  void anUnknownSchemaOrAnInvalidContextIsASchemaError() {
    String ue = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0\","
        + "\"data\":{\"schema\":\"iglu:com.acme/teleport/jsonschema/1-0-0\",\"data\":{}}}";
    String co = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0\",\"data\":["
        + "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0\",\"data\":{\"id\":\"nope\"}}]}";

    BadRow row = bad(params("e", "ue", "ue_pr", ue, "co", co));

    assertThat(row.failureType()).isEqualTo(FailureType.SCHEMA);
    assertThat(row.errors()).hasSize(2)
        .anySatisfy(e -> assertThat(e).contains("unknown schema iglu:com.acme/teleport/jsonschema/1-0-0"))
        .anySatisfy(e -> assertThat(e).startsWith("contexts[0].data.id: "));
  }

  @Test
  void anEventIdThatIsNotAUuidIsRejected() {
    BadRow row = bad(params("e", "pv", "eid", "1234"));

    assertThat(row.failureType()).isEqualTo(FailureType.ENRICHMENT);
    assertThat(row.errors()).containsExactly("event_id: '1234' is not a UUID");
  }

  @Test
  void unsupportedEventTypesAreNamed() {
    assertThat(bad(params("e", "tr")).errors()).containsExactly("e: unsupported event type 'tr' (supported: pv, pp, se, ue)");
  }

  @Test
  void theFingerprintIgnoresSendTimeAndEventIdButNotContent() {
    Event first = good(params("e", "pv", "url", "/a", "stm", "1", "eid", EID));
    Event retry = good(params("e", "pv", "url", "/a", "stm", "2", "eid", "0a0b0c0d-0000-4000-8000-000000000000"));
    Event other = good(params("e", "pv", "url", "/b", "stm", "1", "eid", EID));

    assertThat(retry.eventFingerprint()).isEqualTo(first.eventFingerprint());
    assertThat(other.eventFingerprint()).isNotEqualTo(first.eventFingerprint());
  }
}
