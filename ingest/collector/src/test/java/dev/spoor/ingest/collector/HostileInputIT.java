package dev.spoor.ingest.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.stack.testing.UsesLocalStack;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken clients against a real collector and Kafka: every rejection gets its documented
 * status, and every rejected request or event with a body is on the bad topic with its reason.
 */
@UsesLocalStack("kafka")
class HostileInputIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "wk_shop_2026_a";
  private static final String TP2 = "/com.snowplowanalytics.snowplow/tp2";
  private static CollectorFixture collector;
  private CollectorFixture.Mark mark;

  @BeforeAll
  static void start() {
    collector = new CollectorFixture(Map.of("spoor.collector.max-body", "64k", "spoor.collector.max-events-per-request", 50));
  }

  @AfterAll
  static void stop() {
    collector.close();
  }

  @BeforeEach
  void mark() {
    mark = collector.mark();
  }

  /** Bad rows published since the test began. */
  private List<BadRow> newBadRows() {
    return collector.badSince(mark);
  }

  private List<Event> newGood() {
    return collector.goodSince(mark);
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String cart(String sku) {
    return "[\"add_to_cart\",null,1763639990000,[\"" + sku + "\",19.99,2,\"EUR\"]]";
  }

  @Test
  void malformedJsonIs400WithABadRowKeepingTheBody() throws Exception {
    HttpResponse<String> response = collector.post("/v1/batch", "application/json", utf8("{\"events\": [[\"add_to_cart\""),
        "X-Spoor-Write-Key", KEY);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("error").asText()).isEqualTo("malformed_payload");
    assertThat(json(response).get("reason").asText()).startsWith("body: malformed JSON");
    assertThat(newBadRows()).singleElement().satisfies(row -> {
      assertThat(row.failureType().wireName()).isEqualTo("parse");
      assertThat(row.payload()).isEqualTo("{\"events\": [[\"add_to_cart\"");
      assertThat(row.errors()).singleElement().asString().startsWith("body: malformed JSON");
    });
  }

  @Test
  void invalidUtf8Is400WithTheBodyKeptAsBase64() throws Exception {
    byte[] body = {'{', '"', 'e', '"', ':', (byte) 0xC3, (byte) 0x28, '}'};

    HttpResponse<String> response = collector.post(TP2, "application/json", body);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(newBadRows()).singleElement().satisfies(row -> {
      assertThat(row.errors()).containsExactly("body: not valid UTF-8");
      assertThat(row.payloadEncoding()).isEqualTo("base64");
      assertThat(Base64.getDecoder().decode(row.payload())).isEqualTo(body);
    });
  }

  @Test
  void invalidBase64InAPixelIsRecordedAsABadRowNamingTheParameter() {
    HttpResponse<String> response = collector.get("/i?e=ue&aid=shop&ue_px=%21%21notbase64");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Spoor-Rejected")).contains("parse");
    assertThat(newBadRows()).singleElement().satisfies(row -> {
      assertThat(row.errors()).containsExactly("ue_px: not valid base64 of UTF-8 text");
      assertThat(row.source()).isEqualTo("snowplow-get");
      assertThat(row.payload()).isEqualTo("e=ue&aid=shop&ue_px=%21%21notbase64");
    });
    assertThat(newGood()).isEmpty();
  }

  @Test
  void wrongTypesAndUnknownSchemasAreBadRowsAndTheRestOfTheBatchIsAccepted() throws Exception {
    String body = "{\"data\":["
        + "{\"e\":\"ue\",\"ue_pr\":\"{\\\"schema\\\":\\\"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0\\\","
        + "\\\"data\\\":{\\\"schema\\\":\\\"iglu:com.acme/add_to_cart/jsonschema/1-0-0\\\",\\\"data\\\":{\\\"sku\\\":\\\"a\\\",\\\"price\\\":\\\"free\\\",\\\"quantity\\\":1}}}\"},"
        + "{\"e\":\"ue\",\"ue_pr\":\"{\\\"schema\\\":\\\"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0\\\","
        + "\\\"data\\\":{\\\"schema\\\":\\\"iglu:com.acme/teleport/jsonschema/1-0-0\\\",\\\"data\\\":{}}}\"},"
        + "{\"e\":\"pv\",\"url\":\"https://shop.example/\"}]}";

    HttpResponse<String> response = collector.post(TP2, "application/json; charset=UTF-8", utf8(body));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("accepted").asInt()).isEqualTo(1);
    assertThat(json(response).get("rejected").asInt()).isEqualTo(2);
    assertThat(newGood()).singleElement().satisfies(e -> assertThat(e.pageUrl()).isEqualTo("https://shop.example/"));
    List<BadRow> bad = newBadRows();
    assertThat(bad).hasSize(2).allSatisfy(row -> assertThat(row.failureType().wireName()).isEqualTo("schema"));
    assertThat(bad).anySatisfy(row -> assertThat(row.errors()).singleElement().asString().startsWith("properties.price: "));
    assertThat(bad).anySatisfy(row -> assertThat(row.errors()).singleElement().asString()
        .contains("unknown schema iglu:com.acme/teleport/jsonschema/1-0-0"));
  }

  @Test
  void anOversizeBodyIs413WithTheFirstBytesKept() throws Exception {
    String big = "{\"events\":[" + (cart("x") + ",").repeat(3000) + cart("x") + "]}";

    HttpResponse<String> response = collector.post("/v1/batch", "application/json", utf8(big), "X-Spoor-Write-Key", KEY);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).get("error").asText()).isEqualTo("body_too_large");
    assertThat(newBadRows()).singleElement().satisfies(row -> {
      assertThat(row.failureType().wireName()).isEqualTo("size");
      assertThat(row.payload()).startsWith("{\"events\":[").hasSizeLessThanOrEqualTo(65_536);
    });
  }

  @Test
  void tooManyEventsIs413() throws Exception {
    String body = "{\"events\":[" + String.join(",", java.util.Collections.nCopies(51, cart("x"))) + "]}";

    HttpResponse<String> response = collector.post("/v1/batch", "application/json", utf8(body), "X-Spoor-Write-Key", KEY);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).get("error").asText()).isEqualTo("too_many_events");
    assertThat(newBadRows()).singleElement().satisfies(row ->
        assertThat(row.errors()).containsExactly("events: 51 events, more than the limit of 50"));
    assertThat(newGood()).isEmpty();
  }

  @Test
  void aMissingOrWrongWriteKeyIs401AndTheBodyIsKept() throws Exception {
    String body = "{\"events\":[" + cart("a") + "]}";

    HttpResponse<String> missing = collector.post("/v1/batch", "application/json", utf8(body));
    HttpResponse<String> wrong = collector.post("/v1/batch", "application/json", utf8(body), "X-Spoor-Write-Key", "wk_guessed_key_123");

    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(json(wrong).get("reason").asText()).isEqualTo("write key not recognised");
    assertThat(newBadRows()).hasSize(2).allSatisfy(row -> {
      assertThat(row.failureType().wireName()).isEqualTo("auth");
      assertThat(row.payload()).isEqualTo(body);
    });
    assertThat(newGood()).isEmpty();
  }

  @Test
  void aRotatedKeyWorksAlongsideTheOldOneAndTheBodyKeyServesBeacons() throws Exception {
    HttpResponse<String> header = collector.post("/v1/batch", "application/json",
        utf8("{\"events\":[" + cart("a") + "]}"), "X-Spoor-Write-Key", "wk_shop_2026_b");
    HttpResponse<String> beacon = collector.post("/v1/batch", "text/plain;charset=UTF-8",
        utf8("{\"write_key\":\"" + KEY + "\",\"events\":[" + cart("b") + "]}"));

    assertThat(header.statusCode()).isEqualTo(200);
    assertThat(beacon.statusCode()).isEqualTo(200);
    assertThat(newGood()).hasSize(2).allSatisfy(e -> assertThat(e.appId()).isEqualTo("shop"));
  }

  @Test
  void aDisallowedOriginIs403OnRequestsAndPreflights() throws Exception {
    HttpResponse<String> post = collector.post("/v1/batch", "application/json",
        utf8("{\"events\":[" + cart("a") + "]}"), "X-Spoor-Write-Key", KEY, "Origin", "https://evil.example");
    HttpResponse<String> preflight = collector.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(collector.url(TP2)))
        .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST").build());
    HttpResponse<String> allowed = collector.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(collector.url(TP2)))
        .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://shop.example").header("Access-Control-Request-Method", "POST").build());

    assertThat(post.statusCode()).isEqualTo(403);
    assertThat(preflight.statusCode()).isEqualTo(403);
    assertThat(allowed.statusCode()).isEqualTo(204);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://shop.example");
    assertThat(newBadRows()).singleElement().satisfies(row -> {
      assertThat(row.failureType().wireName()).isEqualTo("origin");
      assertThat(row.errors()).singleElement().asString().contains("https://evil.example");
    });
    assertThat(newGood()).isEmpty();
  }

  @Test
  void anUnsupportedContentTypeIs415() throws Exception {
    HttpResponse<String> response = collector.post(TP2, "application/xml", utf8("<data/>"));

    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(newBadRows()).singleElement().satisfies(row -> {
      assertThat(row.failureType().wireName()).isEqualTo("content_type");
      assertThat(row.payload()).isEqualTo("<data/>");
    });
  }

  @Test
  void aMixedBatchOfNEventsEndsAsExactlyNRecordsGoodPlusBad() throws Exception {
    List<String> events = new ArrayList<>();
    int expectedGood = 0;
    for (int i = 0; i < 40; i++) {
      switch (i % 5) {
        case 0 -> events.add("[\"add_to_cart\",\"" + UUID.randomUUID() + "\",1763639990000,[\"sku-" + i + "\",1.5,1,\"EUR\"]]");
        case 1 -> events.add("[\"add_to_cart\",null,null,[\"sku-" + i + "\",\"free\",1,\"EUR\"]]");
        case 2 -> events.add("[\"page_view\",null,null,[\"Page " + i + "\"],{\"page_url\":\"https://shop.example/" + i + "\"}]");
        case 3 -> events.add("[\"unknown_event\",null,null,[]]");
        default -> events.add("{\"not\":\"an array\"}");
      }
      if (i % 5 == 0 || i % 5 == 2) {
        expectedGood++;
      }
    }

    HttpResponse<String> response = collector.post("/v1/batch", "application/json",
        utf8("{\"meta\":{\"user_id\":\"u-mixed\"},\"events\":[" + String.join(",", events) + "]}"),
        "X-Spoor-Write-Key", KEY);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("accepted").asInt()).isEqualTo(expectedGood);
    assertThat(json(response).get("rejected").asInt()).isEqualTo(40 - expectedGood);
    assertThat(newGood()).hasSize(expectedGood).allSatisfy(e -> assertThat(e.userId()).isEqualTo("u-mixed"));
    assertThat(newBadRows()).hasSize(40 - expectedGood).allSatisfy(row -> assertThat(row.errors()).isNotEmpty());
    assertThat(newGood().size() + newBadRows().size()).isEqualTo(40);
  }

  @Test
  void unknownRoutesAndWrongMethodsAreAnsweredNotIgnored() {
    assertThat(collector.get("/nope").statusCode()).isEqualTo(404);
    assertThat(collector.get("/v1/batch").statusCode()).isEqualTo(405);
    assertThat(newBadRows()).isEmpty();
  }

  @Test
  void healthIsReadyAndMetricsCountEventsByOutcome() throws Exception {
    collector.post("/v1/batch", "application/json", utf8("{\"events\":[" + cart("m") + ",[\"nope\",null,null,[]]]}"),
        "X-Spoor-Write-Key", KEY);

    HttpResponse<String> health = collector.get("/health");
    String metrics = collector.get("/metrics").body();

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health).get("kafka").asText()).isEqualTo("reachable");
    assertThat(metrics).contains("spoor_collector_events_total{failure_type=\"none\",outcome=\"good\"}")
        .contains("spoor_collector_events_total{failure_type=\"schema\",outcome=\"bad\"}")
        .contains("spoor_collector_requests_seconds_bucket");
  }
}
