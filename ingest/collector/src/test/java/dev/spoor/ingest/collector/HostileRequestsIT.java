package dev.spoor.ingest.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.stack.testing.UsesLocalStack;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated hostile requests (seeded: {@code -Dspoor.hostile.seed}, {@code -Dspoor.hostile.requests})
 * against a real collector and Kafka: across every route and encoding, truncated, corrupted, overlong
 * and wrongly typed, with good and bad events mixed, bad keys and origins. The contract: every request
 * is answered within a second with a documented status (no 5xx), a rejected request with a body leaves
 * a bad row, and the good and bad records on Kafka are exactly what the answers say was stored.
 */
@UsesLocalStack("kafka")
class HostileRequestsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SEED = Long.getLong("spoor.hostile.seed", 20261204L);
  private static final int REQUESTS = Integer.getInteger("spoor.hostile.requests", 10_000);
  private static final String KEY = "wk_shop_2026_a";
  private static final String TP2 = "/com.snowplowanalytics.snowplow/tp2";
  private static final Set<Integer> DOCUMENTED = Set.of(200, 204, 400, 401, 403, 404, 405, 413, 415);
  private static CollectorFixture collector;

  @BeforeAll
  static void start() {
    collector = new CollectorFixture(Map.of("spoor.collector.max-body", "64k", "spoor.collector.max-events-per-request", 50));
  }

  @AfterAll
  static void stop() {
    collector.close();
  }

  /** One generated request: method, path (with query), content type, headers and body. */
  private record Hostile(String method, String path, String contentType, List<String> headers, byte[] body) {
    @Override
    public String toString() {
      String text = new String(body, StandardCharsets.UTF_8);
      return method + " " + (path.length() > 200 ? path.substring(0, 200) + "…" : path) + " " + contentType + " " + headers
          + " body(" + body.length + "): " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
    }
  }

  @Test
  void generatedHostileRequestsAreEachAnsweredAsDocumentedAndWhatIsStoredIsWhatIsSaid() throws Exception {
    int clients = 4; // concurrent, each with a random of its own: SEED + its number
    java.util.concurrent.atomic.AtomicLong said = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
    List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
    for (int c = 0; c < clients; c++) {
      long seed = SEED + c;
      runs.add(pool.submit(() -> {
        Random random = new Random(seed);
        for (int i = 0; i < REQUESTS / clients; i++) {
          Hostile request = generate(random);
          long started = System.nanoTime();
          Answer response = send(request);
          long millis = (System.nanoTime() - started) / 1_000_000;
          String context = "request " + i + " of seed " + seed + ": " + request + " → " + response.status() + " " + response.body();
          assertThat(response.status()).as(context).isIn(DOCUMENTED);
          assertThat(millis).as("answered within a second: " + context).isLessThan(1000);
          said.addAndGet(stored(request, response, context));
        }
        return null;
      }));
    }
    pool.shutdown();
    for (java.util.concurrent.Future<?> run : runs) {
      try {
        run.get(5, java.util.concurrent.TimeUnit.MINUTES);
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof AssertionError failure ? failure : new AssertionError(e.getCause());
      }
    }
    long onKafka = collector.good().size() + collector.bad().size();
    assertThat(onKafka).as("good + bad records on Kafka, against what the answers said was stored").isEqualTo(said.get());
  }

  /** The records the collector says it stored for this request (and that a rejected body left a bad row). */
  private static long stored(Hostile request, Answer response, String context) throws java.io.IOException {
    int status = response.status();
    if ((request.path().equals("/i") || request.path().startsWith("/i?")) && status == 200) {
      return 1; // the pixel's one event, good or a bad row (X-Spoor-Rejected)
    }
    if (status == 200) {
      JsonNode body = JSON.readTree(response.body());
      return body.path("accepted").asLong() + body.path("rejected").asLong();
    }
    if (status == 204 || status == 404 || status == 405) {
      return 0;
    }
    boolean badRow = JSON.readTree(response.body()).has("failure_type");
    if (request.body().length > 0) {
      assertThat(badRow).as("a rejected request with a body leaves a bad row: " + context).isTrue();
    }
    return badRow ? 1 : 0;
  }

  /** An answer: status and body. */
  private record Answer(int status, String body) {}

  /**
   * Sends the request over a plain socket, byte for byte as generated (an HTTP client would refuse a
   * malformed escape in the query, which is exactly what a hostile client sends), and reads the answer.
   */
  private static Answer send(Hostile request) throws java.io.IOException {
    URI base = URI.create(collector.url("/"));
    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(5000);
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      StringBuilder head = new StringBuilder(request.method() + " " + request.path() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Connection: close\r\nContent-Length: " + request.body().length + "\r\n");
      if (request.contentType() != null) {
        head.append("Content-Type: ").append(request.contentType()).append("\r\n");
      }
      for (int h = 0; h + 1 < request.headers().size(); h += 2) {
        head.append(request.headers().get(h)).append(": ").append(request.headers().get(h + 1)).append("\r\n");
      }
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
      out.write(request.body());
      try {
        socket.getOutputStream().write(out.toByteArray());
        socket.getOutputStream().flush();
      } catch (java.net.SocketException e) {
        // the collector may answer (413) and close before reading a large body: read what it said
      }
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      int end = answer.indexOf("\r\n\r\n");
      assertThat(answer).as("an HTTP answer to " + request).startsWith("HTTP/1.1 ");
      return new Answer(Integer.parseInt(answer.substring(9, 12)),
          end < 0 ? "" : new String(answer.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }
  }

  // ---- generators ------------------------------------------------------------------------------

  private static Hostile generate(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> pixel(random);
      case 1 -> new Hostile("POST", TP2, contentType(random), origin(random), corrupt(random, tp2Body(random)));
      case 2 -> new Hostile("POST", "/v1/batch" + (random.nextInt(8) == 0 ? "?write_key=" + key(random) : ""), contentType(random),
          concat(keyHeader(random), origin(random)), corrupt(random, compactBody(random)));
      case 3 -> new Hostile("POST", "/v1/events", contentType(random), concat(keyHeader(random), origin(random)),
          corrupt(random, objectsBody(random)));
      case 4 -> new Hostile(random.nextBoolean() ? "OPTIONS" : "PUT", List.of("/i", TP2, "/v1/batch", "/v1/events").get(random.nextInt(4)),
          null, origin(random), new byte[0]);
      default -> new Hostile(random.nextBoolean() ? "GET" : "POST", "/" + word(random, 1 + random.nextInt(30)), contentType(random),
          List.of(), random.nextBoolean() ? new byte[0] : bytes(random, random.nextInt(2000)));
    };
  }

  private static Hostile pixel(Random random) {
    StringBuilder query = new StringBuilder();
    for (Map.Entry<String, String> p : trackerParams(random).entrySet()) {
      query.append(query.length() == 0 ? "" : "&").append(p.getKey()).append('=');
      switch (random.nextInt(8)) {
        case 0 -> query.append("%zz").append(word(random, 3)); // a broken escape
        case 1 -> query.append("%C0%AF"); // an overlong UTF-8 form
        default -> query.append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
      }
    }
    String path = "/i?" + query;
    return new Hostile("GET", path.length() > 8000 ? path.substring(0, 8000) : path, null, origin(random), new byte[0]);
  }

  private static Map<String, String> trackerParams(Random random) {
    Map<String, String> p = new java.util.LinkedHashMap<>();
    p.put("e", List.of("pv", "pp", "se", "ue", "xx", "").get(random.nextInt(6)));
    p.put("aid", random.nextInt(10) == 0 ? word(random, 300) : "shop");
    if (random.nextBoolean()) {
      p.put("eid", random.nextInt(4) == 0 ? word(random, 20) : java.util.UUID.randomUUID().toString());
    }
    p.put("url", "https://shop.example/" + word(random, random.nextInt(10) == 0 ? 5000 : 10));
    p.put("uid", random.nextInt(10) == 0 ? word(random, 1000) : "u-" + random.nextInt(100));
    p.put("dtm", number(random));
    p.put("ttm", random.nextInt(5) == 0 ? number(random) : Long.toString(System.currentTimeMillis()));
    p.put("se_ca", "c");
    p.put("se_ac", "a");
    p.put("se_va", number(random));
    p.put("pp_mix", number(random));
    if (random.nextInt(3) == 0) {
      String ue = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0\",\"data\":{\"schema\":"
          + "\"iglu:com.acme/add_to_cart/jsonschema/1-0-0\",\"data\":{\"sku\":\"s\",\"price\":" + number(random) + ",\"quantity\":1}}}";
      String encoded = switch (random.nextInt(4)) {
        case 0 -> Base64.getEncoder().encodeToString(ue.getBytes(StandardCharsets.UTF_8));
        case 1 -> Base64.getUrlEncoder().withoutPadding().encodeToString(ue.getBytes(StandardCharsets.UTF_8));
        case 2 -> "!!" + word(random, 12);
        default -> Base64.getEncoder().encodeToString(bytes(random, 40));
      };
      p.put(random.nextBoolean() ? "ue_px" : "ue_pr", random.nextBoolean() ? encoded : ue);
    }
    if (random.nextInt(6) == 0) {
      p.put("ua", word(random, random.nextInt(3000)));
    }
    return p;
  }

  private static String tp2Body(Random random) {
    StringBuilder data = new StringBuilder();
    int events = random.nextInt(10) == 0 ? 60 : 1 + random.nextInt(5);
    for (int e = 0; e < events; e++) {
      try {
        data.append(e == 0 ? "" : ",").append(JSON.writeValueAsString(trackerParams(random)));
      } catch (java.io.IOException ex) {
        throw new IllegalStateException(ex);
      }
    }
    return "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4\",\"data\":[" + data + "]}";
  }

  private static String compactBody(Random random) {
    StringBuilder events = new StringBuilder();
    int count = random.nextInt(10) == 0 ? 60 : 1 + random.nextInt(5);
    for (int e = 0; e < count; e++) {
      events.append(e == 0 ? "" : ",").append(switch (random.nextInt(5)) {
        case 0 -> "[\"add_to_cart\",null," + number(random) + ",[\"s\"," + number(random) + ",1,\"EUR\"]]";
        case 1 -> "[\"page_view\",\"" + java.util.UUID.randomUUID() + "\",null,[\"" + word(random, 20) + "\"]]";
        case 2 -> "[\"purchase\",null,null,[\"o\",\"free\",1,\"EUR\"]]";
        case 3 -> "[\"" + word(random, 8) + "\",null,null,[]]";
        default -> "{\"not\":\"an array\"}";
      });
    }
    String meta = random.nextInt(6) == 0 ? "{\"user_id\":\"" + word(random, 400) + "\"}" : "{\"user_id\":\"u-" + random.nextInt(50) + "\"}";
    return "{\"sent_at\":" + number(random) + ",\"meta\":" + meta + ",\"events\":[" + events + "]}";
  }

  private static String objectsBody(Random random) {
    StringBuilder events = new StringBuilder();
    int count = 1 + random.nextInt(4);
    for (int e = 0; e < count; e++) {
      String name = List.of("add_to_cart", "purchase", "page_view", word(random, 6)).get(random.nextInt(4));
      String schema = List.of("iglu:com.acme/add_to_cart/jsonschema/1-0-0", "iglu:com.snowplowanalytics.snowplow/page_view/jsonschema/1-0-0",
          "not-a-uri", "iglu:com.acme/" + word(random, 5) + "/jsonschema/1-0-0").get(random.nextInt(4));
      String properties = switch (random.nextInt(5)) {
        case 0 -> "{\"sku\":\"s\",\"price\":" + number(random) + ",\"quantity\":1}";
        case 1 -> "[".repeat(2000) + "]".repeat(2000);
        case 2 -> "{\"sku\":" + "{\"a\":".repeat(300) + "1" + "}".repeat(300) + "}";
        case 3 -> "\"" + word(random, 5000) + "\"";
        default -> "{}";
      };
      events.append(e == 0 ? "" : ",").append("{\"event\":\"").append(name).append("\",\"schema\":\"").append(schema)
          .append("\",\"properties\":").append(properties).append("}");
    }
    return "{\"events\":[" + events + "]}";
  }

  /** A body as generated, or damaged: cut short, bytes flipped, invalid or overlong UTF-8 spliced in, emptied. */
  private static byte[] corrupt(Random random, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return switch (random.nextInt(8)) {
      case 0 -> java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
      case 1 -> {
        byte[] flipped = bytes.clone();
        for (int k = 0; k < 1 + random.nextInt(5) && flipped.length > 0; k++) {
          flipped[random.nextInt(flipped.length)] = (byte) random.nextInt(256);
        }
        yield flipped;
      }
      case 2 -> splice(bytes, new byte[] {(byte) 0xC0, (byte) 0xAF}, random); // overlong '/'
      case 3 -> splice(bytes, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, random); // a lone surrogate
      case 4 -> random.nextInt(4) == 0 ? new byte[0] : bytes(random, 70 * 1024); // over max-body (64k) or empty
      default -> bytes;
    };
  }

  private static byte[] splice(byte[] bytes, byte[] inserted, Random random) {
    int at = random.nextInt(bytes.length + 1);
    byte[] out = new byte[bytes.length + inserted.length];
    System.arraycopy(bytes, 0, out, 0, at);
    System.arraycopy(inserted, 0, out, at, inserted.length);
    System.arraycopy(bytes, at, out, at + inserted.length, bytes.length - at);
    return out;
  }

  private static String number(Random random) {
    return switch (random.nextInt(8)) {
      case 0 -> "1e999999999";
      case 1 -> "-" + "9".repeat(1 + random.nextInt(200));
      case 2 -> "NaN";
      case 3 -> "0x1F";
      case 4 -> "";
      default -> Long.toString(System.currentTimeMillis() - random.nextInt(1_000_000));
    };
  }

  private static String contentType(Random random) {
    return List.of("application/json", "application/json; charset=UTF-8", "text/plain", "application/xml",
        "application/json; charset=latin1", "").get(random.nextInt(6));
  }

  private static List<String> keyHeader(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> List.of();
      case 1 -> List.of("X-Spoor-Write-Key", key(random));
      default -> List.of("X-Spoor-Write-Key", KEY);
    };
  }

  private static String key(Random random) {
    return random.nextBoolean() ? KEY : "wk_" + word(random, 1 + random.nextInt(30));
  }

  private static List<String> origin(Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> List.of("Origin", "https://evil.example");
      case 1 -> List.of("Origin", "https://shop.example");
      default -> List.of();
    };
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String word(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int k = 0; k < length; k++) {
      s.append((char) ('a' + random.nextInt(26)));
    }
    return s.toString();
  }

  private static byte[] bytes(Random random, int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }
}
