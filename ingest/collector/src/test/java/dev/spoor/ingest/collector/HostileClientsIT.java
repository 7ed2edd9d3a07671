package dev.spoor.ingest.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.stack.testing.UsesLocalStack;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The probes an attacker tries first, against a real collector (default limits) and Kafka: each is
 * refused with a reason, or accepted in a bounded form, and none takes the collector down or makes
 * it lie. One test per row of the hostile-clients table in the README.
 */
@UsesLocalStack("kafka")
class HostileClientsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "wk_shop_2026_a";
  private static final String TP2 = "/com.snowplowanalytics.snowplow/tp2";
  private static CollectorFixture collector;
  private CollectorFixture.Mark mark;

  @BeforeAll
  static void start() {
    collector = new CollectorFixture(Map.of("spoor.collector.read-timeout", "3s", "spoor.collector.tracker-app-ids", List.of("shop")));
  }

  @AfterAll
  static void stop() {
    collector.close();
  }

  @BeforeEach
  void mark() {
    mark = collector.mark();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A tp2 body of one event with these parameters (JSON string values). */
  private static byte[] tp2(Map<String, String> params) throws Exception {
    return JSON.writeValueAsBytes(Map.of("schema", "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4",
        "data", List.of(params)));
  }

  @Test
  @Timeout(60)
  void slowClientsHoldingEveryWorkerAreCutAndEveryoneElseIsServedMeanwhile() throws Exception {
    List<java.net.Socket> slow = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 80; i++) { // more than the 64 worker threads
        java.net.Socket socket = new java.net.Socket("127.0.0.1", java.net.URI.create(collector.url("/")).getPort());
        socket.getOutputStream().write(utf8("POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "X-Spoor-Write-Key: " + KEY + "\r\nContent-Length: 1000\r\n\r\n{"));
        socket.getOutputStream().flush();
        slow.add(socket);
      }

      HttpResponse<String> health = collector.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(collector.url("/health")))
          .timeout(Duration.ofSeconds(2)).GET().build());
      assertThat(health.statusCode()).isEqualTo(200);
      HttpResponse<String> events = collector.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(collector.url("/v1/events")))
          .timeout(Duration.ofSeconds(2)).header("Content-Type", "application/json").header("X-Spoor-Write-Key", KEY)
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"events\":[{\"event\":\"page_view\","
              + "\"schema\":\"iglu:com.snowplowanalytics.snowplow/page_view/jsonschema/1-0-0\",\"properties\":{}}]}"))
          .build());
      assertThat(events.statusCode()).as(events.body()).isEqualTo(200);

      // Past the read timeout (3 s here) the collector has given up on each of them: their connections are closed.
      for (java.net.Socket socket : slow) {
        socket.setSoTimeout(15_000);
        byte[] rest = socket.getInputStream().readAllBytes(); // an error answer, if any, then the end of the stream
        assertThat(new String(rest, StandardCharsets.UTF_8)).satisfiesAnyOf(
            answer -> assertThat(answer).isEmpty(), answer -> assertThat(answer).startsWith("HTTP/1.1 408"));
      }
    } finally {
      for (java.net.Socket socket : slow) {
        socket.close();
      }
    }
  }

  @Test
  void trackerEventsOfAnAppNotAllowedAreBadRows() {
    HttpResponse<String> response = collector.get("/i?e=pv&aid=evil&url=https%3A%2F%2Fevil.example%2F");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Spoor-Rejected")).contains("auth");
    assertThat(collector.goodSince(mark)).isEmpty();
    assertThat(collector.badSince(mark)).singleElement().satisfies(row -> assertThat(row.errors())
        .containsExactly("aid: 'evil' is not in spoor.collector.tracker-app-ids"));
  }

  @Test
  void aWriteKeyIsNeverEchoedInTheAnswerOrTheBadRow() {
    String guess = "wk_shop_2026_z";
    HttpResponse<String> response = collector.post("/v1/batch", "application/json",
        utf8("{\"write_key\":\"" + guess + "\",\"events\":[[\"page_view\",null,null,[\"t\"]]]}"));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).doesNotContain(guess);
    assertThat(collector.badSince(mark)).singleElement().satisfies(row -> {
      assertThat(row.payload()).doesNotContain(guess).contains("\"write_key\":\"[redacted]\"");
      assertThat(String.join(" ", row.errors())).doesNotContain(guess);
    });
  }

  @Test
  void twoHundredKilobytesOfControlBytesAre400WithABadRowThatFitsInAKafkaRecordAndHealthStaysUp() throws Exception {
    byte[] body = new byte[200 * 1024];
    Random random = new Random(17);
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (1 + random.nextInt(31)); // U+0001..U+001F: valid UTF-8, six bytes each once escaped in JSON
    }

    HttpResponse<String> response = collector.post(TP2, "application/json", body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).path("reason").asText()).startsWith("body: malformed JSON");
    assertThat(collector.badSince(mark)).singleElement().satisfies(row -> {
      assertThat(row.payloadTruncated()).isTrue();
      assertThat(row.payloadBytes()).isEqualTo(body.length);
      assertThat(row.payloadSha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
      assertThat(row.payload().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(BadRow.MAX_PAYLOAD_BYTES);
    });
    assertThat(collector.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  @Timeout(10)
  void aNumberOfNineHundredThousandDigitsIsRejectedBeforeItIsParsed() throws Exception {
    String digits = "9".repeat(900_000);

    HttpResponse<String> response = collector.post(TP2, "application/json; charset=UTF-8",
        tp2(Map.of("e", "se", "aid", "shop", "se_ca", "c", "se_ac", "a", "se_va", digits)));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(collector.goodSince(mark)).isEmpty();
    assertThat(collector.badSince(mark)).singleElement().satisfies(row -> assertThat(row.errors()).singleElement().asString()
        .startsWith("se_va: a number of 900000 characters").hasSizeLessThan(200));
  }

  @Test
  void userAgentsAreTruncatedToADocumentedLengthBeforeTheyAreParsed() throws Exception {
    String agent = "Mozilla/5.0 (X11; Linux x86_64) " + "A".repeat(500 * 1024);

    HttpResponse<String> response = collector.post(TP2, "application/json; charset=UTF-8",
        tp2(Map.of("e", "pv", "aid", "shop", "url", "https://shop.example/", "ua", agent)));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(collector.goodSince(mark)).singleElement().satisfies(event -> {
      assertThat(event.useragent()).hasSize(dev.spoor.ingest.model.pipeline.FieldLimits.USER_AGENT).isEqualTo(
          agent.substring(0, dev.spoor.ingest.model.pipeline.FieldLimits.USER_AGENT));
      assertThat(event.qualityFlags()).contains("useragent_truncated");
    });
  }

  @Test
  void aUserIdOfAHundredKilobytesIsABadRow() throws Exception {
    HttpResponse<String> response = collector.post(TP2, "application/json; charset=UTF-8",
        tp2(Map.of("e", "pv", "aid", "shop", "url", "https://shop.example/", "uid", "u".repeat(100 * 1024))));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(collector.goodSince(mark)).isEmpty();
    assertThat(collector.badSince(mark)).singleElement().satisfies(row -> assertThat(row.errors())
        .containsExactly("user_id: 102400 characters, at most 255"));
  }

  @Test
  void aPriceOfInfinityIsABadRow() throws Exception {
    HttpResponse<String> response = collector.post("/v1/events", "application/json", utf8("{\"events\":[{\"event\":\"add_to_cart\","
        + "\"schema\":\"iglu:com.acme/add_to_cart/jsonschema/1-0-0\",\"properties\":{\"sku\":\"s\",\"price\":1e999999999,"
        + "\"quantity\":1}}]}"), "X-Spoor-Write-Key", KEY);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(collector.goodSince(mark)).isEmpty();
    assertThat(collector.badSince(mark)).singleElement().satisfies(row -> assertThat(row.errors())
        .contains("properties.price: not a finite number"));
  }

  @Test
  void anEventNameTheSchemaDoesNotNameIsABadRow() throws Exception {
    HttpResponse<String> response = collector.post("/v1/events", "application/json", utf8("{\"events\":[{\"event\":\"purchase\","
        + "\"schema\":\"iglu:com.snowplowanalytics.snowplow/page_view/jsonschema/1-0-0\",\"properties\":{}}]}"),
        "X-Spoor-Write-Key", KEY);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(collector.goodSince(mark)).isEmpty();
    assertThat(collector.badSince(mark)).singleElement().satisfies(row -> assertThat(row.errors())
        .containsExactly("event_name: 'purchase' is not the event of schema iglu:com.snowplowanalytics.snowplow/page_view/jsonschema/1-0-0 (page_view)"));
  }

  @Test
  void aTrueTimestampFarInThePastIsClampedAndFlagged() throws Exception {
    Instant before = Instant.now();
    HttpResponse<String> response = collector.post(TP2, "application/json; charset=UTF-8",
        tp2(Map.of("e", "pv", "aid", "shop", "url", "https://shop.example/", "ttm", "-62135596800000", "dtm", "-62135596800000")));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(collector.goodSince(mark)).singleElement().satisfies(event -> {
      assertThat(event.derivedTstamp()).isBetween(before, Instant.now());
      assertThat(event.eventDate()).isEqualTo(event.collectorTstamp().atOffset(java.time.ZoneOffset.UTC).toLocalDate());
      assertThat(event.qualityFlags()).contains("true_tstamp_implausibly_old_clamped", "dvce_created_tstamp_implausibly_old");
    });
  }

}
