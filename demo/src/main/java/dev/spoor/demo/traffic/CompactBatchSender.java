package dev.spoor.demo.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spoor.demo.shop.PlannedEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Sends events in Spoor's compact batch format ({@code POST /v1/batch}, write key in a header): one
 * request per visit, each event as {@code [name, id, created_ms, [values…]]} in the layout of
 * {@code spoor.ingest.compact.layouts}. Sent now, created when they happened: the collector derives the
 * event time from the two. Can append a schema-violating event to a request, re-send a request (an
 * at-least-once client retrying), or send a corrupt body.
 */
public final class CompactBatchSender {
  /** The value order of each event's layout (conf/spoor.conf, spoor.ingest.compact.layouts). */
  static final Map<String, List<String>> LAYOUTS = Map.of(
      "page_view", List.of("page_title"),
      "product_view", List.of("sku", "price", "category"),
      "add_to_cart", List.of("sku", "price", "quantity", "currency"),
      "purchase", List.of("order_id", "total", "items", "currency"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String collectorUrl;
  private final String writeKey;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public CompactBatchSender(String collectorUrl, String writeKey) {
    this.collectorUrl = collectorUrl;
    this.writeKey = writeKey;
  }

  /** The id an event gets: derived from user, name and time, so a re-send carries the same id. */
  public static String idOf(PlannedEvent event) {
    return UUID.nameUUIDFromBytes((event.user() + "|" + event.name() + "|" + event.at()).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /**
   * Sends one visit's events of one user; with {@code invalid}, one more event that violates its schema
   * (a price that is not a number); with {@code redeliver}, the same request twice.
   */
  public void send(String user, List<PlannedEvent> events, boolean invalid, boolean redeliver, Delivery delivery)
      throws IOException, InterruptedException {
    // A third of the users' clients send no event ids: the collector mints them from the fingerprint.
    boolean withoutIds = Math.floorMod(user.hashCode(), 3) == 0;
    long now = System.currentTimeMillis();
    ObjectNode body = JSON.createObjectNode().put("sent_at", now);
    body.putObject("meta").put("user_id", user).put("page_url", "https://shop.example/");
    ArrayNode array = body.putArray("events");
    for (PlannedEvent event : events) {
      ArrayNode values = array.addArray().add(event.name()).add(withoutIds ? null : idOf(event))
          .add(event.at().toEpochMilli()).addArray();
      for (String field : LAYOUTS.get(event.name())) {
        values.addPOJO(event.properties().get(field));
      }
    }
    if (invalid) {
      array.addArray().add("add_to_cart").add(UUID.randomUUID().toString()).add(now).addArray().add("sku-x").add("free")
          .add(1).add("EUR");
      delivery.invalidEvents++;
    }
    JsonNode answer = post(body.toString());
    delivery.requests++;
    delivery.events += array.size();
    int rejected = answer.get("rejected").asInt();
    delivery.rejected += rejected;
    if (rejected != (invalid ? 1 : 0)) {
      throw new IOException("the collector rejected " + rejected + " events of " + user + ", expected " + (invalid ? 1 : 0));
    }
    List<String> ids = new java.util.ArrayList<>();
    answer.path("event_ids").forEach(id -> ids.add(id.asText()));
    if (ids.size() != events.size()) {
      throw new IOException("the collector accepted " + ids.size() + " of " + events.size() + " valid events of " + user);
    }
    if (!withoutIds && !ids.equals(events.stream().map(CompactBatchSender::idOf).toList())) {
      throw new IOException("the collector answered other event ids than sent for " + user + ": " + ids);
    }
    delivery.acceptedIds.addAll(ids);
    if (redeliver) {
      // The retry carries the same events (the same minted ids too): the valid ones are de-duplicated on
      // landing, but the invalid one is rejected again, with a bad row of its own (a rejection is a
      // record of a request).
      JsonNode again = post(body.toString());
      List<String> retried = new java.util.ArrayList<>();
      again.path("event_ids").forEach(id -> retried.add(id.asText()));
      if (!retried.equals(ids)) {
        throw new IOException("a retried request of " + user + " got other event ids: " + retried + " vs " + ids);
      }
      delivery.requests++;
      delivery.redelivered += array.size();
      delivery.rejected += again.get("rejected").asInt();
      if (invalid) {
        delivery.invalidEvents++;
      }
    }
  }

  /** A request whose body is not JSON: the collector keeps it as one bad row and answers 400. */
  public void sendCorrupt(Delivery delivery) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request("{\"sent_at\": 1, \"events\": [[\"page_view\", "), 
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 400) {
      throw new IOException("a corrupt body was answered " + response.statusCode() + ", not 400: " + response.body());
    }
    delivery.requests++;
    delivery.corruptRequests++;
  }

  private HttpRequest request(String body) {
    return HttpRequest.newBuilder(URI.create(collectorUrl + "/v1/batch"))
        .header("Content-Type", "application/json").header("X-Spoor-Write-Key", writeKey)
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private JsonNode post(String body) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request(body), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("the collector answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
