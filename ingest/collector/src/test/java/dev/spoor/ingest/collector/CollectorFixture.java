package dev.spoor.ingest.collector;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.spoor.ingest.collector.config.CollectorConfig;
import dev.spoor.ingest.collector.sink.KafkaEventSink;
import dev.spoor.ingest.model.enrich.YauaaUserAgentParser;
import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.EventJson;
import dev.spoor.ingest.model.schema.SchemaRegistry;
import dev.spoor.stack.testing.TestStackConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A real collector for integration tests: in this JVM, on a free port, publishing to the test stack's
 * Kafka on topics of its own (so test classes never see each other's events). Reads topics back up
 * to their end offsets, which are final once the collector has answered (it answers after Kafka's
 * acknowledgement), so counts are exact without waiting.
 */
final class CollectorFixture implements AutoCloseable {
  private static final YauaaUserAgentParser USER_AGENTS = new YauaaUserAgentParser(1000);

  final CollectorConfig config;
  final String goodTopic = "it.good." + UUID.randomUUID();
  final String badTopic = "it.bad." + UUID.randomUUID();
  private final CollectorServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  CollectorFixture(Map<String, Object> overrides) {
    Map<String, Object> all = new HashMap<>(overrides);
    all.put("spoor.collector.port", freePort());
    all.put("spoor.kafka.topics.good", goodTopic);
    all.put("spoor.kafka.topics.bad", badTopic);
    all.putIfAbsent("spoor.collector.send-timeout", "4s");
    Config config = ConfigFactory.parseMap(all).withFallback(TestStackConfig.config()).resolve();
    this.config = CollectorConfig.from(config);
    SchemaRegistry schemas = SchemaRegistry.load(this.config.enrichment().schemasDir());
    this.server = new CollectorServer(this.config, schemas, USER_AGENTS,
        new KafkaEventSink(this.config.kafka(), goodTopic, badTopic, this.config.sendTimeout())).start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.address().getPort() + path;
  }

  HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  HttpResponse<String> get(String pathAndQuery, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(pathAndQuery))).timeout(Duration.ofSeconds(30)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request to the collector failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  List<Event> good() {
    return read(goodTopic).stream().map(r -> EventJson.decodeEvent(r.value())).toList();
  }

  List<BadRow> bad() {
    return read(badTopic).stream().map(r -> EventJson.decodeBadRow(r.value())).toList();
  }

  /** Where the topics end now; {@link #goodSince} and {@link #badSince} return what came after. */
  record Mark(java.util.Set<String> good, java.util.Set<String> bad) {}

  Mark mark() {
    return new Mark(positions(goodTopic), positions(badTopic));
  }

  List<Event> goodSince(Mark mark) {
    return read(goodTopic).stream().filter(r -> !mark.good().contains(position(r)))
        .map(r -> EventJson.decodeEvent(r.value())).toList();
  }

  List<BadRow> badSince(Mark mark) {
    return read(badTopic).stream().filter(r -> !mark.bad().contains(position(r)))
        .map(r -> EventJson.decodeBadRow(r.value())).toList();
  }

  private java.util.Set<String> positions(String topic) {
    return read(topic).stream().map(CollectorFixture::position).collect(java.util.stream.Collectors.toSet());
  }

  private static String position(ConsumerRecord<byte[], byte[]> record) {
    return record.partition() + ":" + record.offset();
  }

  /** Good events, waiting (bounded) until at least {@code count} are there: for asynchronous senders. */
  List<Event> awaitGood(int count, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    List<Event> events = good();
    while (events.size() < count && Instant.now().isBefore(deadline)) {
      events = good();
    }
    return events;
  }

  /** Every record of the topic, from the beginning up to its current end offsets. */
  List<ConsumerRecord<byte[], byte[]>> read(String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
      if (partitions == null || partitions.isEmpty()) {
        return records;
      }
      List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofSeconds(10));
      Instant deadline = Instant.now().plusSeconds(30);
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && Instant.now().isBefore(deadline)) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
