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
}
