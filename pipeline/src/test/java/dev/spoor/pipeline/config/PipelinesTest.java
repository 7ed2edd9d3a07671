package dev.spoor.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spoor.config.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelinesTest {
  @TempDir
  Path dir;

  private static Path home() {
    return Path.of(System.getProperty("spoor.home", "..")).toAbsolutePath().normalize();
  }

  private Pipelines write(String jobs) throws Exception {
    Path file = dir.resolve("pipelines.json");
    Files.writeString(file, """
        {"pipelines": [{"name": "p", "schedule": "@daily", "start-date": "2026-11-01", "catchup": false,
          "retries": 1, "retry-delay": "1m", "timeout": "1h", "jobs": [%s]}]}
        """.formatted(jobs));
    return Pipelines.read(file);
  }

  @Test
  void theShippedPipelinesAreTheHourlyDailyAndMaintenanceGraphs() {
    Pipelines pipelines = Pipelines.read(home().resolve("conf/pipelines.json"));
    assertThat(pipelines.names()).containsExactly("hourly", "daily", "maintenance");
    PipelineSpec daily = pipelines.pipeline("daily").orElseThrow();
    assertThat(daily.jobNames()).containsExactly("sessionize", "funnels", "features", "score", "segments", "publish");
    assertThat(daily.job("features").orElseThrow().dependsOn()).containsExactly("sessionize", "funnels");
    assertThat(daily.job("publish").orElseThrow().retries()).isEqualTo(4);
    assertThat(daily.job("score").orElseThrow().retries()).isEqualTo(daily.retries());
    assertThat(daily.catchup()).isTrue();
    assertThat(daily.retryDelay()).isEqualTo(Duration.ofMinutes(10));
    assertThat(pipelines.pipeline("hourly").orElseThrow().job("clean").orElseThrow().spark()).isTrue();
  }

  @Test
  void placeholdersAreFilledIn() throws Exception {
    JobSpec job = write("""
        {"name": "features", "command": ["batch", "features", "--run-id", "{run_id}", "--as-of", "{as_of}"]}""")
        .pipelines().get(0).jobs().get(0);
    assertThat(job.render(Map.of("run_id", "daily-1", "as_of", "2026-11-21")))
        .containsExactly("batch", "features", "--run-id", "daily-1", "--as-of", "2026-11-21");
  }

  @Test
  void anUnknownDependencyIsRejectedWithItsKey() {
    assertThatThrownBy(() -> write("""
        {"name": "a", "command": ["land"]}, {"name": "b", "command": ["land"], "depends-on": ["c"]}"""))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("pipelines[0].jobs[1].depends-on").hasMessageContaining("c");
  }

  @Test
  void aCycleIsRejectedAndShown() {
    assertThatThrownBy(() -> write("""
        {"name": "a", "command": ["land"], "depends-on": ["c"]}, {"name": "b", "command": ["land"], "depends-on": ["a"]},
        {"name": "c", "command": ["land"], "depends-on": ["b"]}"""))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("a -> c -> b -> a");
  }

  @Test
  void anUnknownPlaceholderIsRejected() {
    assertThatThrownBy(() -> write("""
        {"name": "a", "command": ["batch", "clean", "--run-id", "{runid}"]}"""))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("runid");
  }

  @Test
  void aDuplicateJobNameIsRejected() {
    assertThatThrownBy(() -> write("""
        {"name": "a", "command": ["land"]}, {"name": "a", "command": ["land"]}"""))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("jobs[1].name");
  }

  @Test
  void brokenJsonNamesTheFile() throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\"pipelines\": [");
    assertThatThrownBy(() -> Pipelines.read(file)).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void aMissingRetryDelayIsNamed() throws Exception {
    Path file = dir.resolve("p.json");
    Files.writeString(file, """
        {"pipelines": [{"name": "p", "schedule": "@daily", "start-date": "2026-11-01", "catchup": false,
          "retries": 1, "timeout": "1h", "jobs": [{"name": "a", "command": ["land"]}]}]}""");
    assertThatThrownBy(() -> Pipelines.read(file)).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("pipelines[0].retry-delay");
  }
}
