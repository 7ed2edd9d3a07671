package dev.spoor.bench.collector;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The benchmark's requests, prepared before a step so the generator spends its time sending: what
 * a Snowplow web tracker sends for one page view ({@code POST tp2}, one event, a web_page context),
 * compact batches of the Spoor format, junk of every kind, and the health probe.
 */
final class Requests {
  static final String WRITE_KEY = "wk_shop_2026_a";
  static final byte[] HEALTH = "GET /health HTTP/1.1\r\nHost: collector\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final String USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "Chrome/120.0.0.0 Safari/537.36";

  private Requests() {}

  /** {@code n} distinct tracker page views, one per request, of {@code users} users. */
  static List<byte[]> pageViews(int n, int users, long seed) {
    Random random = new Random(seed);
    List<byte[]> requests = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int user = random.nextInt(users);
      String context = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1\",\"data\":[{\"schema\":"
          + "\"iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0\",\"data\":{\"id\":\"" + uuid(random) + "\"}}]}";
      String body = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4\",\"data\":[{"
          + "\"e\":\"pv\",\"url\":\"https://shop.example/p/" + random.nextInt(5000) + "\",\"page\":\"Product\","
          + "\"refr\":\"https://www.google.com/\",\"tv\":\"js-3.24.0\",\"tna\":\"sp\",\"aid\":\"shop\",\"p\":\"web\","
          + "\"tz\":\"Europe/Berlin\",\"lang\":\"en-GB\",\"cs\":\"UTF-8\",\"res\":\"1920x1080\",\"cd\":\"24\",\"cookie\":\"1\","
          + "\"vp\":\"1280x720\",\"ds\":\"1280x4000\",\"vid\":\"1\",\"eid\":\"" + uuid(random) + "\",\"dtm\":\"1763639990000\","
          + "\"stm\":\"1763639995000\",\"duid\":\"" + uuid(random) + "\",\"sid\":\"" + uuid(random) + "\",\"uid\":\"u-" + user
          + "\",\"co\":" + quote(context) + "}]}";
      requests.add(post("/com.snowplowanalytics.snowplow/tp2", "application/json; charset=UTF-8", null,
          body.getBytes(StandardCharsets.UTF_8)));
    }
    return requests;
  }

  /** {@code n} compact batches of {@code events} add-to-cart events each, one user per batch. */
  static List<byte[]> compactBatches(int n, int events, int users, long seed) {
    Random random = new Random(seed);
    List<byte[]> requests = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder list = new StringBuilder();
      for (int e = 0; e < events; e++) {
        list.append(e == 0 ? "" : ",").append("[\"add_to_cart\",\"").append(uuid(random)).append("\",1763639990000,[\"sku-")
            .append(random.nextInt(997)).append("\",19.99,2,\"EUR\"]]");
      }
      String body = "{\"sent_at\":1763639995000,\"meta\":{\"user_id\":\"u-" + random.nextInt(users)
          + "\",\"domain_sessionid\":\"" + uuid(random) + "\",\"useragent\":\"" + USER_AGENT + "\"},\"events\":[" + list + "]}";
      requests.add(post("/v1/batch", "application/json", WRITE_KEY, body.getBytes(StandardCharsets.UTF_8)));
    }
    return requests;
  }

  /**
   * {@code n} junk requests: random bytes, truncated and mistyped JSON, control bytes, bad and
   * missing write keys, on every ingest route (including junk query strings on {@code /i}).
   */
  static List<byte[]> junk(int n, long seed) {
    Random random = new Random(seed);
    String[] routes = {"/com.snowplowanalytics.snowplow/tp2", "/v1/batch", "/v1/events"};
    String[] keys = {null, "wk_wrong", WRITE_KEY};
    List<byte[]> requests = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] body = switch (random.nextInt(4)) {
        case 0 -> bytes(random, random.nextInt(4096));
        case 1 -> "{\"events\":[{\"event\":\"page_view\",\"schema\":".getBytes(StandardCharsets.UTF_8);
        case 2 -> ("{\"events\":[{\"event\":\"add_to_cart\",\"schema\":\"iglu:com.acme/add_to_cart/jsonschema/1-1-0\","
            + "\"properties\":{\"price\":\"" + "9".repeat(random.nextInt(2000)) + "\"}}]}").getBytes(StandardCharsets.UTF_8);
        default -> new byte[1 + random.nextInt(2048)]; // NUL bytes
      };
      if (random.nextInt(8) == 0) {
        String query = new String(bytes(random, 200), StandardCharsets.ISO_8859_1).replaceAll("[^A-Za-z0-9=&%]", "%");
        requests.add(("GET /i?" + query + " HTTP/1.1\r\nHost: collector\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      } else {
        requests.add(post(routes[random.nextInt(routes.length)], "application/json", keys[random.nextInt(keys.length)], body));
      }
    }
    return requests;
  }

  private static byte[] post(String path, String contentType, String writeKey, byte[] body) {
    ByteArrayOutputStream request = new ByteArrayOutputStream(body.length + 256);
    String head = "POST " + path + " HTTP/1.1\r\nHost: collector\r\nUser-Agent: " + USER_AGENT + "\r\nContent-Type: "
        + contentType + "\r\n" + (writeKey == null ? "" : "X-Spoor-Write-Key: " + writeKey + "\r\n")
        + "Content-Length: " + body.length + "\r\n\r\n";
    request.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    request.writeBytes(body);
    return request.toByteArray();
  }

  private static String quote(String json) {
    return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String uuid(Random random) {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  private static byte[] bytes(Random random, int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }
}
