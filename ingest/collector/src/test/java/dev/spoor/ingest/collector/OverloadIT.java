package dev.spoor.ingest.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.stack.testing.UsesLocalStack;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * More requests at once than {@code spoor.collector.max-in-flight}: the surplus is refused at once
 * with {@code 503}, {@code Retry-After} and a reason (not queued), the rest is answered as usual, and
 * what is on Kafka is exactly what the 200s accepted.
 */
@UsesLocalStack("kafka")
class OverloadIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  @Timeout(120)
  void requestsBeyondTheBoundAreShedWithRetryAfterAndNothingShedIsStored() throws Exception {
    try (CollectorFixture collector = new CollectorFixture(Map.of("spoor.collector.max-in-flight", 2))) {
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      List<List<String>> sentIds = new ArrayList<>();
      for (int r = 0; r < 48; r++) {
        List<String> ids = new ArrayList<>();
        StringBuilder events = new StringBuilder();
        for (int e = 0; e < 400; e++) {
          String id = UUID.randomUUID().toString();
          ids.add(id);
          events.append(e == 0 ? "" : ",").append("[\"add_to_cart\",\"").append(id)
              .append("\",1763639990000,[\"sku-1\",19.99,2,\"EUR\"]]");
        }
        sentIds.add(ids);
        String body = "{\"sent_at\":1763639995000,\"meta\":{\"user_id\":\"u-" + r + "\"},\"events\":[" + events + "]}";
        answers.add(collector.http.sendAsync(HttpRequest.newBuilder(URI.create(collector.url("/v1/batch")))
            .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
            .header("X-Spoor-Write-Key", "wk_shop_2026_a").header("Origin", "http://localhost:3000").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString()));
      }

      Set<String> acknowledged = new HashSet<>();
      int shed = 0;
      for (int r = 0; r < answers.size(); r++) {
        HttpResponse<String> answer = answers.get(r).get();
        JsonNode body = JSON.readTree(answer.body());
        assertThat(answer.statusCode()).as(answer.body()).isIn(200, 503);
        if (answer.statusCode() == 503) {
          shed++;
          assertThat(body.path("error").asText()).isEqualTo("overloaded");
          assertThat(body.path("reason").asText()).contains("spoor.collector.max-in-flight");
          assertThat(answer.headers().firstValue("Retry-After")).isPresent();
          // A browser page sees the answer and may read how long to wait (CORS), as for any other.
          assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:3000");
          assertThat(answer.headers().firstValue("Access-Control-Expose-Headers")).hasValue("Retry-After");
        } else {
          assertThat(body.path("accepted").asInt()).isEqualTo(400);
          acknowledged.addAll(sentIds.get(r));
        }
      }

      assertThat(shed).as("requests shed of 48 at a bound of 2").isPositive();
      assertThat(acknowledged).as("requests served").isNotEmpty();
      assertThat(collector.good().stream().map(Event::eventId)).containsExactlyInAnyOrderElementsOf(acknowledged);
      assertThat(collector.bad()).isEmpty();
    }
  }
}
