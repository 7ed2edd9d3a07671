package dev.spoor.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spoor.pipeline.config.JobSpec;
import dev.spoor.pipeline.config.PipelineSpec;
import dev.spoor.report.JobReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's graph logic with a launcher that records calls instead of starting processes. */
class PipelineRunTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final List<String> launched = new ArrayList<>();
  private final List<Map<String, String>> environments = new ArrayList<>();
  private final Map<String, Integer> failuresLeft = new HashMap<>();

  /** Fails a job's first {@code times} attempts; every job reports 10 rows when it succeeds. */
  private final JobLauncher launcher = (job, args, env, log, timeout) -> {
    launched.add(job + " " + String.join(" ", args));
    environments.add(env);
    int left = failuresLeft.getOrDefault(job, 0);
    if (left > 0) {
      failuresLeft.put(job, left - 1);
      return new JobLauncher.Attempt(1, "exited with status 1");
    }
    JobReport.to(Path.of(env.get(JobReport.ENV))).record(job, "succeeded", 10, "incremental");
    return JobLauncher.Attempt.succeeded();
  };

  private static JobSpec job(String name, int retries, String... dependsOn) {
    return new JobSpec(name, List.of("batch", name, "--run-id", "{run_id}"), List.of(dependsOn), !name.equals("land"),
        retries);
  }

  private static final PipelineSpec DAILY = new PipelineSpec("daily", "", "@daily", LocalDate.of(2026, 11, 1), true,
      1, 0, Duration.ofMinutes(10), Duration.ofHours(1), List.of(job("sessionize", 0), job("funnels", 0),
          job("features", 0, "sessionize", "funnels"), job("score", 0, "features"), job("other", 0),
          job("publish", 2, "score")));

  private PipelineRun run(Optional<String> from, Optional<String> master) {
    RunSettings settings = new RunSettings("r1", LocalDate.of(2026, 11, 21), from, master, OptionalInt.empty(),
        Optional.of(Duration.ZERO), dir);
    return new PipelineRun(DAILY, launcher, settings, new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  private static List<String> statuses(List<JobResult> results) {
    return results.stream().map(r -> r.job() + "=" + r.status()).toList();
  }

  @Test
  void everyJobRunsOnceInDependencyOrderWithTheRunId() {
    List<JobResult> results = run(Optional.empty(), Optional.empty()).run();
    assertThat(launched).containsExactly("sessionize batch sessionize --run-id r1", "funnels batch funnels --run-id r1",
        "features batch features --run-id r1", "score batch score --run-id r1", "other batch other --run-id r1",
        "publish batch publish --run-id r1");
    assertThat(results).allMatch(r -> r.status() == JobResult.Status.SUCCEEDED && r.rows().getAsLong() == 10);
    assertThat(environments).noneMatch(env -> env.containsKey("SPOOR_SPARK_MASTER"));
  }

  @Test
  void aFailedJobStopsItsDependantsOnlyAndSaysHowToResume() {
    failuresLeft.put("features", 1);
    PipelineRun run = run(Optional.empty(), Optional.empty());
    List<JobResult> results = run.run();
    assertThat(statuses(results)).containsExactly("sessionize=SUCCEEDED", "funnels=SUCCEEDED", "features=FAILED",
        "score=UPSTREAM_FAILED", "other=SUCCEEDED", "publish=UPSTREAM_FAILED");
    assertThat(launched).noneMatch(l -> l.startsWith("score") || l.startsWith("publish"));
    assertThat(run.resumeHint(results)).contains("bin/spoor run daily --from features --run-id r1 --as-of 2026-11-21");
    assertThat(SummaryTable.render(results)).contains("not run: upstream failed").contains("FAILED");
  }

  @Test
  void aFailedAttemptIsRetriedAsDeclared() {
    failuresLeft.put("publish", 2);
    List<JobResult> results = run(Optional.empty(), Optional.empty()).run();
    JobResult publish = results.get(results.size() - 1);
    assertThat(publish.status()).isEqualTo(JobResult.Status.SUCCEEDED);
    assertThat(publish.attempts()).isEqualTo(3);
    assertThat(launched.stream().filter(l -> l.startsWith("publish"))).hasSize(3);
  }

  @Test
  void fromRunsTheJobAndItsDownstreamOnly() {
    List<JobResult> results = run(Optional.of("score"), Optional.empty()).run();
    assertThat(launched).containsExactly("score batch score --run-id r1", "publish batch publish --run-id r1");
    assertThat(statuses(results)).contains("sessionize=NOT_SELECTED", "other=NOT_SELECTED", "publish=SUCCEEDED");
  }

  @Test
  void onlyRunsTheOneJob() {
    RunSettings settings = new RunSettings("r1", LocalDate.of(2026, 11, 21), Optional.empty(), Optional.empty(),
        OptionalInt.empty(), Optional.of(Duration.ZERO), dir, Optional.of("features"));
    List<JobResult> results = new PipelineRun(DAILY, launcher, settings,
        new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
    assertThat(launched).containsExactly("features batch features --run-id r1");
    assertThat(statuses(results)).contains("features=SUCCEEDED", "score=NOT_SELECTED", "sessionize=NOT_SELECTED");
  }

  @Test
  void theMasterGoesToSparkJobsOnly() {
    run(Optional.empty(), Optional.of("spark://127.0.0.1:7077")).run();
    assertThat(environments).allMatch(env -> "spark://127.0.0.1:7077".equals(env.get("SPOOR_SPARK_MASTER")));
  }

  @Test
  void anUnknownFromJobIsAUsageError() {
    assertThatThrownBy(() -> run(Optional.of("nope"), Optional.empty())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sessionize");
  }

  @Test
  void theSummaryHasAHeaderAndOneLinePerJob() {
    String table = SummaryTable.render(run(Optional.empty(), Optional.empty()).run());
    assertThat(table.lines()).hasSize(7);
    assertThat(table.lines().findFirst().orElseThrow()).startsWith("JOB").contains("STATUS", "DURATION", "ROWS");
    assertThat(table).contains("publish").contains("succeeded");
  }
}
