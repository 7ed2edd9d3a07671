package dev.spoor.batch.erase;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.stack.testing.TestCollector;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A collector of its own ({@code bin/spoor collector} on a free port, publishing to the test's topics,
 * its output in a log file), and events POSTed to it as a Snowplow tracker sends them
 * ({@code tp2}: a {@code payload_data} array of tracker parameters).
 */
final class TrackerTraffic implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TestCollector collector;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private TrackerTraffic(TestCollector collector) {
    this.collector = collector;
  }

  /** Starts the collector with the test's environment and waits until it is healthy. */
  static TrackerTraffic start(Map<String, String> env, Path log) throws IOException, InterruptedException {
    return new TrackerTraffic(TestCollector.start(env, log));
  }

  private static Map<String, String> common(String user, String device) {
    long now = System.currentTimeMillis();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("eid", UUID.randomUUID().toString());
    params.put("aid", "shop");
    params.put("p", "web");
    params.put("tv", "js-3.24.0");
    if (user != null) {
      params.put("uid", user);
    }
    params.put("duid", device);
    params.put("dtm", Long.toString(now));
    params.put("stm", Long.toString(now));
    return params;
  }

  /** A page view of {@code url}; {@code user} null for a visitor not logged in. */
  static Map<String, String> pageView(String user, String device, String url) {
    Map<String, String> params = common(user, device);
    params.put("e", "pv");
    params.put("url", url);
    return params;
  }

  /** A self-describing event ({@code ue_pr}) of {@code schema}. */
  static Map<String, String> selfDescribing(String user, String device, String schema, Map<String, Object> data)
      throws IOException {
    Map<String, String> params = common(user, device);
    params.put("e", "ue");
    params.put("ue_pr", JSON.writeValueAsString(Map.of(
        "schema", "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
        "data", Map.of("schema", schema, "data", data))));
    return params;
  }

  /** POSTs the events in one tp2 request; the collector must answer 200. */
  @SafeVarargs
  final void send(Map<String, String>... events) throws IOException, InterruptedException {
    String body = JSON.writeValueAsString(Map.of(
        "schema", "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4", "data", List.of(events)));
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(collector.base().resolve("/com.snowplowanalytics.snowplow/tp2"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError("the collector answered " + response.statusCode() + ": " + response.body());
    }
  }

  /** Stops the collector (its log is complete once it has exited). */
  @Override
  public void close() throws InterruptedException {
    collector.close();
  }
}
