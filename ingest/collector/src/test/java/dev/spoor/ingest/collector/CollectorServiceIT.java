package dev.spoor.ingest.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.stack.LocalStack;
import dev.spoor.stack.ServiceStatus;
import dev.spoor.stack.testing.SpoorCommand;
import dev.spoor.stack.testing.UsesLocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The collector as a service of the local stack: {@code bin/spoor up collector}, {@code status}, {@code down collector}. */
@UsesLocalStack("kafka")
class CollectorServiceIT {
  private static ServiceStatus row(LocalStack stack, String service) {
    return stack.status().stream().filter(s -> s.service().equals(service)).findFirst().orElseThrow();
  }

  @Test
  void upCollectorServesEventsStatusShowsItAndDownStopsOnlyIt(LocalStack stack) throws Exception {
    SpoorCommand.Result up = SpoorCommand.run(Duration.ofMinutes(3), "up", "collector");
    assertThat(up.exitCode()).as(up.output()).isZero();
    assertThat(up.output()).contains("kafka: already running").contains("collector: healthy on 127.0.0.1:28180");

    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(stack.config().collector().url() + "/v1/events"))
        .header("Content-Type", "application/json").header("X-Spoor-Write-Key", "wk_shop_2026_a")
        .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[{\"event\":\"page_view\",\"properties\":{}}]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"accepted\":1");

    SpoorCommand.Result status = SpoorCommand.run(Duration.ofMinutes(1), "status");
    assertThat(status.output()).containsPattern("(?m)^collector +healthy +\\d+ +28180 ");

    SpoorCommand.Result down = SpoorCommand.run(Duration.ofMinutes(1), "down", "collector");
    assertThat(down.output()).contains("collector: stopped").doesNotContain("kafka: stopped");
    assertThat(row(stack, "collector").stateLabel()).isEqualTo("stopped");
    assertThat(row(stack, "kafka").stateLabel()).isEqualTo("healthy");
  }

  /**
   * SIGTERM ({@code bin/spoor down collector}) in the middle of a burst: the collector stops accepting,
   * finishes what is in flight and flushes, so every event it answered 2xx for is on the good topic.
   */
  @Test
  void sigtermMidBurstLosesNoAcknowledgedEvent(LocalStack stack) throws Exception {
    SpoorCommand.Result up = SpoorCommand.run(Duration.ofMinutes(3), "up", "collector");
    assertThat(up.exitCode()).as(up.output()).isZero();
    URI events = URI.create(stack.config().collector().url() + "/v1/events");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    java.util.Queue<String> acknowledged = new java.util.concurrent.ConcurrentLinkedQueue<>();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(8);
    for (int t = 0; t < 8; t++) {
      senders.execute(() -> {
        while (!stop.get()) {
          String id = java.util.UUID.randomUUID().toString();
          try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header("X-Spoor-Write-Key", "wk_shop_2026_a")
                .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[{\"event\":\"page_view\",\"event_id\":\"" + id
                    + "\",\"properties\":{}}]}")).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
              acknowledged.add(id);
            }
          } catch (java.io.IOException e) {
            // refused or cut while stopping: not acknowledged, so the client would retry it
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      });
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (acknowledged.size() < 300 && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // the burst is under way
    }
    long stopping = System.nanoTime();
    SpoorCommand.Result down = SpoorCommand.run(Duration.ofMinutes(1), "down", "collector");
    Duration took = Duration.ofNanos(System.nanoTime() - stopping);
    stop.set(true);
    senders.shutdown();
    assertThat(senders.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    assertThat(down.output()).contains("collector: stopped");
    assertThat(took).as("stopped within down's grace period (30 s)").isLessThan(Duration.ofSeconds(30));

    java.util.Set<String> onTopic = new java.util.HashSet<>();
    com.typesafe.config.Config config = dev.spoor.stack.testing.TestStackConfig.config();
    java.util.Properties props = new java.util.Properties();
    props.put("bootstrap.servers", config.getString("spoor.kafka.bootstrap-servers"));
    String topic = config.getString("spoor.kafka.topics.good");
    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(props,
        new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> onTopic.add(
            dev.spoor.ingest.model.event.EventJson.decodeEvent(r.value()).eventId()));
      }
    }
    assertThat(acknowledged).as("acknowledged events").hasSizeGreaterThanOrEqualTo(300);
    assertThat(onTopic).as("every acknowledged event is on the good topic").containsAll(acknowledged);
  }
}
