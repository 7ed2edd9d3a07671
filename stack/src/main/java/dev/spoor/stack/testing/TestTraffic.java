package dev.spoor.stack.testing;

import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Enriched events as the collector would publish them, straight onto the test stack's Kafka: for
 * integration tests of what comes after the collector (landing, batch, erasure). The events carry the
 * shipped schemas' names and versions, so the batch layer types their properties as in production.
 */
public final class TestTraffic {
  private TestTraffic() {}

  /** The test stack's Kafka bootstrap servers. */
  public static String bootstrap() {
    return TestStackConfig.config().getString("spoor.kafka.bootstrap-servers");
  }

  /** Creates topics (name → partitions) on the test stack's Kafka. */
  public static void createTopics(Map<String, Integer> partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
      admin.createTopics(partitions.entrySet().stream().map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
          .toList()).all().get(30, TimeUnit.SECONDS);
    }
  }

  /** Produces the events keyed by user, as the collector does, and waits until all are acknowledged. */
  public static void produce(String topic, List<Event> events) {
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (Event e : events) {
        producer.send(new ProducerRecord<>(topic, e.userId(), EventJson.encode(e)));
      }
      producer.flush();
    }
  }

  /** Produces one raw record (for records the lander cannot decode). */
  public static void produceRaw(String topic, String key, String value) {
    try (KafkaProducer<String, byte[]> producer = producer()) {
      producer.send(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8)));
      producer.flush();
    }
  }

  private static KafkaProducer<String, byte[]> producer() {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap());
    props.put("acks", "all");
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * An enriched shop event (page_view, product_view, add_to_cart, purchase) of {@code user} at
   * {@code at}; its id is derived from user, name and time, so the same arguments give the same event.
   */
  public static Event event(String user, String name, Instant at, String properties) {
    String vendor = name.equals("page_view") ? "com.snowplowanalytics.snowplow" : "com.acme";
    String version = name.equals("add_to_cart") ? "1-1-0" : "1-0-0";
    String id = UUID.nameUUIDFromBytes((user + name + at).getBytes(StandardCharsets.UTF_8)).toString();
    return new Event(id, "shop", "web", name, "iglu:" + vendor + "/" + name + "/jsonschema/" + version, user, null, null,
        at, at, null, at.plusSeconds(1), at, "https://shop.example/" + name, null, null, null, null, null, null, null,
        properties, "[]", "fp-" + id, at.atOffset(ZoneOffset.UTC).toLocalDate(), "test", "test", List.of());
  }

  /** A visit: page view, product view and, with {@code depth}, cart (≥ 2) and purchase (≥ 3). */
  public static List<Event> visit(String user, Instant at, int depth, double price) {
    List<Event> events = new java.util.ArrayList<>();
    events.add(event(user, "page_view", at, "{\"page_title\":\"home\"}"));
    if (depth >= 1) {
      events.add(event(user, "product_view", at.plusSeconds(30), "{\"sku\":\"s1\",\"price\":" + price + ",\"category\":\"c\"}"));
    }
    if (depth >= 2) {
      events.add(event(user, "add_to_cart", at.plusSeconds(90),
          "{\"sku\":\"s1\",\"price\":" + price + ",\"quantity\":1,\"currency\":\"EUR\"}"));
    }
    if (depth >= 3) {
      events.add(event(user, "purchase", at.plusSeconds(300),
          "{\"order_id\":\"o-" + user + "-" + at.getEpochSecond() + "\",\"total\":" + price + ",\"items\":1,\"currency\":\"EUR\"}"));
    }
    return events;
  }
}
