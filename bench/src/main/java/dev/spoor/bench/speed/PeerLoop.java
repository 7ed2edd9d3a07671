package dev.spoor.bench.speed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.EventJson;
import dev.spoor.speed.config.SpeedConfig;
import dev.spoor.state.read.SpeedView;
import dev.spoor.state.read.StateReader;
import dev.spoor.state.view.UserState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The peer: one thread, a plain Kafka consumer loop doing what the speed layer does with the shipped
 * rules, written by hand in Java: poll, record the events in the speed view, one multi-get of the batch
 * view and one of the speed view for the polled users, then {@code vip_cart} and
 * {@code big_spender_today} (notify), {@code premium_traffic} (route), {@code unknown_users} (gate) and
 * {@code with_score} (decorate), produce (acks=all, idempotent), commit. Its records go to topics of
 * its own ({@link PeerTopics}) with the same keys and the event ids the benchmark compares.
 */
final class PeerLoop implements Runnable {
  /** Where the peer writes: the speed layer's four outputs, under a prefix of its own. */
  record PeerTopics(String notifications, String routed, String gated, String decorated) {
    static PeerTopics of(String prefix) {
      return new PeerTopics(prefix + "notifications", prefix + "routed.premium", prefix + "gated", prefix + "decorated");
    }

    List<String> all() {
      return List.of(notifications, routed, gated, decorated);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  final AtomicBoolean stop = new AtomicBoolean();
  private final SpeedConfig config;
  private final PeerTopics topics;
  private volatile Throwable failure;

  PeerLoop(SpeedConfig config, PeerTopics topics) {
    this.config = config;
    this.topics = topics;
  }

  Throwable failure() {
    return failure;
  }

  @Override
  public void run() {
    Properties c = new Properties();
    c.put("bootstrap.servers", config.bootstrapServers());
    c.put("group.id", "bench-peer-" + topics.notifications());
    c.put("auto.offset.reset", "latest");
    c.put("enable.auto.commit", "false");
    c.put("max.poll.records", "20000");
    Properties p = new Properties();
    p.put("bootstrap.servers", config.bootstrapServers());
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("linger.ms", "0");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
         KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
         Connection connection = ConnectionFactory.createConnection(config.state().hbase())) {
      consumer.subscribe(List.of(config.goodTopic()));
      StateReader reader = new StateReader(connection, config.state());
      SpeedView speedView = new SpeedView(connection, config.state());
      while (!stop.get()) {
        var records = consumer.poll(Duration.ofMillis(100));
        if (records.isEmpty()) {
          continue;
        }
        List<Event> events = new ArrayList<>();
        List<SpeedView.Seen> seen = new ArrayList<>();
        Set<String> users = new LinkedHashSet<>();
        for (ConsumerRecord<String, byte[]> r : records) {
          Event e = EventJson.decodeEvent(r.value());
          events.add(e);
          users.add(e.userId());
          seen.add(new SpeedView.Seen(e.userId(), e.eventId(), r.partition(), r.offset(), e.eventName(), cartValue(e),
              e.collectorTstamp()));
        }
        speedView.record(seen);
        Map<String, UserState> states = reader.getAll(users);
        // The benchmark's batch view covers no Kafka offsets: every recorded event is beyond it.
        Map<String, SpeedView.Uncovered> speed = speedView.uncovered(users, Map.of());
        List<Future<?>> sent = new ArrayList<>();
        for (Event e : events) {
          for (ProducerRecord<String, String> out : decide(e, states.get(e.userId()), speed.get(e.userId()))) {
            sent.add(producer.send(out));
          }
        }
        for (Future<?> f : sent) {
          f.get();
        }
        consumer.commitSync();
      }
    } catch (Exception e) {
      failure = e;
      throw new IllegalStateException("peer loop failed", e);
    }
  }

  /** The shipped rules, by hand. */
  private List<ProducerRecord<String, String>> decide(Event e, UserState state, SpeedView.Uncovered speed) throws Exception {
    List<ProducerRecord<String, String>> out = new ArrayList<>();
    boolean cart = e.eventName().equals("add_to_cart");
    boolean known = state != null;
    List<String> segments = known ? state.segments() : List.of();
    if (cart && known && state.score() != null && state.score() >= 700 && !segments.contains("at_risk")) {
      out.add(notification("vip_cart", e));
    }
    if (cart && speed.through(e.eventId()).cartValue() >= 500) {
      out.add(notification("big_spender_today", e));
    }
    String event = "{\"event_id\":\"" + e.eventId() + "\",\"collector_tstamp\":\"" + e.collectorTstamp() + "\"}";
    if (segments.contains("vip")) {
      out.add(new ProducerRecord<>(topics.routed(), e.userId(), event));
    }
    if (known || !e.eventName().equals("purchase")) {
      out.add(new ProducerRecord<>(topics.gated(), e.userId(), event));
    }
    if (cart || e.eventName().equals("purchase")) {
      out.add(new ProducerRecord<>(topics.decorated(), e.userId(), "{\"rule\":\"with_score\",\"event\":" + event + "}"));
    }
    return out;
  }

  private ProducerRecord<String, String> notification(String rule, Event e) throws Exception {
    String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest((rule + ":" + e.eventId()).getBytes(StandardCharsets.UTF_8))).substring(0, 32);
    return new ProducerRecord<>(topics.notifications(), id, "{\"notification_id\":\"" + id + "\",\"rule\":\"" + rule
        + "\",\"event_id\":\"" + e.eventId() + "\",\"collector_tstamp\":\"" + e.collectorTstamp() + "\"}");
  }

  /** The shipped {@code cart-value}: price × quantity of a cart, 0 otherwise. */
  private static double cartValue(Event e) throws Exception {
    if (!e.eventName().equals("add_to_cart") || e.properties() == null) {
      return 0;
    }
    JsonNode properties = JSON.readTree(e.properties());
    return properties.path("price").asDouble() * properties.path("quantity").asInt();
  }
}
