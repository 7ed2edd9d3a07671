package dev.spoor.ingest.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.stack.LocalStack;
import dev.spoor.stack.testing.UsesLocalStack;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Kafka stopped under a running collector: it answers 503 with Retry-After (never accepts and drops),
 * reports itself unhealthy, recovers when Kafka is back, and every event it acknowledged is on the topic.
 */
@UsesLocalStack("kafka")
class KafkaOutageIT {
  private static final String KEY = "wk_shop_2026_a";

  private static String batch(List<String> ids) {
    return "{\"meta\":{\"user_id\":\"u-outage\"},\"events\":[" + ids.stream()
        .map(id -> "[\"add_to_cart\",\"" + id + "\",null,[\"sku\",1.0,1,\"EUR\"]]")
        .collect(Collectors.joining(",")) + "]}";
  }

  private static List<String> ids(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(UUID.randomUUID().toString());
    }
    return ids;
  }

  private static HttpResponse<String> send(CollectorFixture collector, List<String> ids) {
    return collector.post("/v1/batch", "application/json", batch(ids).getBytes(StandardCharsets.UTF_8),
        "X-Spoor-Write-Key", KEY);
  }

  private static void awaitHealth(CollectorFixture collector, int status, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    int last = -1;
    while (Instant.now().isBefore(deadline)) {
      last = collector.get("/health").statusCode();
      if (last == status) {
        return;
      }
    }
    throw new AssertionError("/health did not answer " + status + " within " + timeout + " (last " + last + ")");
  }

  @Test
  void answers503WhileKafkaIsDownAndLosesNothingItAcknowledged(LocalStack stack) throws Exception {
    Set<String> acknowledged = new HashSet<>();
    try (CollectorFixture collector = new CollectorFixture(Map.of("spoor.collector.send-timeout", "3s"))) {
      List<String> before = ids(20);
      assertThat(send(collector, before).statusCode()).isEqualTo(200);
      acknowledged.addAll(before);

      stack.down(List.of("kafka"), line -> { });
      try {
        awaitHealth(collector, 503, Duration.ofSeconds(30));
        HttpResponse<String> during = send(collector, ids(5));
        assertThat(during.statusCode()).isEqualTo(503);
        assertThat(during.headers().firstValue("Retry-After")).isPresent();
        assertThat(new ObjectMapper().readTree(during.body()).get("error").asText()).isEqualTo("unavailable");
      } finally {
        stack.up(List.of("kafka"), line -> { });
      }

      awaitHealth(collector, 200, Duration.ofSeconds(60));
      // A client retries on 503; count as acknowledged only what was answered 200.
      Instant deadline = Instant.now().plusSeconds(60);
      int status = 0;
      List<String> after = ids(20);
      while (status != 200 && Instant.now().isBefore(deadline)) {
        status = send(collector, after).statusCode();
      }
      assertThat(status).isEqualTo(200);
      acknowledged.addAll(after);

      Set<String> onTopic = collector.good().stream().map(Event::eventId).collect(Collectors.toSet());
      assertThat(onTopic).containsAll(acknowledged);
      assertThat(collector.get("/metrics").body()).containsPattern("spoor_collector_kafka_send_errors_total [1-9]");
    }
  }
}
