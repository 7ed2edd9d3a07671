package dev.spoor.ingest.collector.sink;

import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes to Kafka with an idempotent producer and {@code acks=all}: good events to the good topic
 * keyed by user (so one user's events stay ordered in one partition), bad rows to the bad topic.
 * {@link #publish} completes once every record is acknowledged; no thread waits meanwhile. When Kafka
 * is down, sends fail within the producer's bounded timeouts (metadata wait, delivery timeout), and
 * while it is known down they fail at once. A background
 * check of the cluster every two seconds feeds {@code /health}. Thread-safe (KafkaProducer is).
 */
public final class KafkaEventSink implements EventSink {
  private final KafkaProducer<byte[], byte[]> producer;
  private final Admin admin;
  private final String goodTopic;
  private final String badTopic;
  private final AtomicBoolean available = new AtomicBoolean(false);
  private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "kafka-health");
    t.setDaemon(true);
    return t;
  });

  public KafkaEventSink(dev.spoor.kafka.KafkaConnection kafka, String goodTopic, String badTopic, Duration sendTimeout) {
    this.goodTopic = goodTopic;
    this.badTopic = badTopic;
    int timeoutMs = (int) Math.max(2000, sendTimeout.toMillis());
    Map<String, Object> props = new java.util.HashMap<>();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs / 2);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs / 2);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
    props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "spoor-collector");
    this.producer = new KafkaProducer<>(kafka.properties(props), new ByteArraySerializer(), new ByteArraySerializer());
    this.admin = Admin.create(kafka.properties(Map.of(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000,
        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000)));
    check(); // so the first requests are not refused as "Kafka unreachable" before the first check
    checker.scheduleWithFixedDelay(this::check, 2, 2, TimeUnit.SECONDS);
  }

  private void check() {
    try {
      available.set(!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000))
          .nodes().get(3, TimeUnit.SECONDS).isEmpty());
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      available.set(false);
    }
  }

  @Override
  public CompletableFuture<Void> publish(List<Event> good, List<BadRow> bad, Duration timeout) {
    if (!available.get()) {
      // Known down (last check, or a send that timed out): refused at once, so no thread waits in send()
      // for metadata that cannot come. The check every two seconds lets traffic in again.
      return CompletableFuture.failedFuture(new SinkUnavailableException("Kafka is unreachable (last check)", null));
    }
    List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(good.size() + bad.size());
    try {
      for (Event event : good) {
        acks.add(send(goodTopic, event.partitionKey().getBytes(StandardCharsets.UTF_8), EventJson.encode(event)));
      }
      for (BadRow row : bad) {
        byte[] key = row.eventId() == null ? null : row.eventId().getBytes(StandardCharsets.UTF_8);
        acks.add(send(badTopic, key, EventJson.encode(row)));
      }
    } catch (KafkaException e) {
      available.set(false);
      return CompletableFuture.failedFuture(new SinkUnavailableException("Kafka refused the records: " + e.getMessage(), e));
    }
    return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(e -> CompletableFuture.failedFuture(unavailable(e, timeout)));
  }

  private SinkUnavailableException unavailable(Throwable error, Duration timeout) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof TimeoutException) {
      available.set(false);
      return new SinkUnavailableException("Kafka did not acknowledge within " + timeout.toMillis() + " ms", cause);
    }
    // Only a failure to reach Kafka says Kafka is down; a record Kafka refused (too large, invalid)
    // says nothing about the next request's.
    if (cause instanceof RetriableException) {
      available.set(false);
    }
    return new SinkUnavailableException("Kafka did not acknowledge: " + cause.getMessage(), cause);
  }

  private CompletableFuture<RecordMetadata> send(String topic, byte[] key, byte[] value) {
    CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
    producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
      if (error != null) {
        ack.completeExceptionally(error);
      } else {
        ack.complete(metadata);
      }
    });
    return ack;
  }

  @Override
  public boolean isAvailable() {
    return available.get();
  }

  @Override
  public void close() {
    checker.shutdownNow();
    producer.close(Duration.ofSeconds(10));
    admin.close(Duration.ofSeconds(5));
  }
}
