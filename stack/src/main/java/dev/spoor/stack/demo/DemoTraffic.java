package dev.spoor.stack.demo;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A small, realistic burst of shop traffic sent to a running collector over HTTP: users browsing,
 * viewing products, adding to carts and buying, through the compact batch endpoint and the Snowplow
 * pixel; plus redeliveries of the same batch (at-least-once clients), events that happened days ago,
 * and corrupt or invalid events. Counts what the collector accepted and rejected.
 */
public final class DemoTraffic {
  /** What was sent and what the collector said about it; every user id starts with {@code userPrefix}. */
  public record Sent(String userPrefix, int requests, int events, int redelivered, int late, int invalid, int accepted,
      int rejected) {}

  private static final String KEY = "wk_shop_2026_a";
  private final String collectorUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public DemoTraffic(String collectorUrl) {
    this.collectorUrl = collectorUrl;
  }

  public Sent send(int users, long seed) throws IOException, InterruptedException {
    Random random = new Random(seed);
    int requests = 0;
    int events = 0;
    int redelivered = 0;
    int late = 0;
    int invalid = 0;
    int accepted = 0;
    int rejected = 0;
    long now = Instant.now().toEpochMilli();
    String prefix = "demo-" + Long.toString(seed & 0xffffffL, 36) + "-";
    for (int u = 0; u < users; u++) {
      String user = prefix + u;
      String session = UUID.randomUUID().toString();
      boolean lateUser = u % 10 == 0;
      long start = lateUser ? now - (2 + random.nextInt(3)) * 86_400_000L : now - random.nextInt(3_600_000);
      List<String> batch = new ArrayList<>();
      int products = 1 + random.nextInt(4);
      long t = start;
      batch.add(event("page_view", t, "[\"Home\"]"));
      for (int p = 0; p < products; p++) {
        t += 5_000 + random.nextInt(60_000);
        String sku = "sku-" + random.nextInt(50);
        double price = 5 + random.nextInt(200);
        batch.add(event("product_view", t, "[\"" + sku + "\"," + price + ",\"shoes\"]"));
        if (random.nextInt(3) == 0) {
          t += 2_000 + random.nextInt(20_000);
          batch.add(event("add_to_cart", t, "[\"" + sku + "\"," + price + "," + (1 + random.nextInt(3)) + ",\"EUR\"]"));
          if (random.nextInt(2) == 0) {
            t += 10_000 + random.nextInt(60_000);
            batch.add(event("purchase", t, "[\"order-" + UUID.randomUUID().toString().substring(0, 8) + "\"," + price
                + ",1,\"EUR\"]"));
          }
        }
      }
      if (u % 7 == 0) {
        batch.add("[\"add_to_cart\",null," + t + ",[\"sku-x\",\"free\",1,\"EUR\"]]"); // violates its schema
        invalid++;
      }
      // Late users' devices were offline: they created the events days ago and send them now.
      String body = "{\"sent_at\":" + now + ",\"meta\":{\"user_id\":\"" + user
          + "\",\"domain_sessionid\":\"" + session + "\",\"page_url\":\"https://shop.example/\"},\"events\":["
          + String.join(",", batch) + "]}";
      int[] answer = post(body);
      requests++;
      events += batch.size();
      late += lateUser ? batch.size() : 0;
      accepted += answer[0];
      rejected += answer[1];
      if (u % 5 == 0) { // an at-least-once client retries the same batch: the lake keeps one copy
        post(body);
        requests++;
        redelivered += batch.size();
      }
    }
    // A Snowplow pixel per ten users, and one corrupt pixel.
    for (int u = 0; u < users; u += 10) {
      pixel("e=pv&aid=shop&p=web&uid=" + prefix + u + "&url=" + URLEncoder.encode("https://shop.example/about",
          StandardCharsets.UTF_8) + "&eid=" + UUID.randomUUID());
      requests++;
      events++;
      accepted++;
    }
    pixel("e=ue&aid=shop&ue_px=%21%21not-base64");
    requests++;
    events++;
    invalid++;
    rejected++;
    return new Sent(prefix, requests, events, redelivered, late, invalid, accepted, rejected);
  }

  private static String event(String name, long createdMs, String values) {
    return "[\"" + name + "\",\"" + UUID.randomUUID() + "\"," + createdMs + "," + values + "]";
  }

  private int[] post(String body) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(collectorUrl + "/v1/batch"))
        .header("Content-Type", "application/json").header("X-Spoor-Write-Key", KEY)
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("the collector answered " + response.statusCode() + ": " + response.body());
    }
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    return new int[] {json.get("accepted").asInt(), json.get("rejected").asInt()};
  }

  private void pixel(String query) throws IOException, InterruptedException {
    HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(collectorUrl + "/i?" + query))
        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() != 200) {
      throw new IOException("the collector answered " + response.statusCode() + " to a pixel");
    }
  }
}
