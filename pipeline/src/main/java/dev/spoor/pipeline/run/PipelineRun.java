package dev.spoor.pipeline.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.pipeline.config.JobSpec;
import dev.spoor.pipeline.config.PipelineSpec;
import dev.spoor.pipeline.graph.PipelineGraph;
import dev.spoor.report.JobReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Runs a pipeline's jobs one at a time in {@link PipelineGraph#order()}: each job is retried as
 * declared; a job whose dependency failed (or was not run) is not started; the others still run. Prints
 * a line per job as it starts and ends, and the last lines of a failed job's log; {@link #resumeHint}
 * says how to carry on. Not thread-safe: one run per instance.
 */
public final class PipelineRun {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int LOG_LINES_SHOWN = 25;

  private final PipelineSpec spec;
  private final PipelineGraph graph;
  private final JobLauncher launcher;
  private final RunSettings settings;
  private final PrintStream out;

  public PipelineRun(PipelineSpec spec, JobLauncher launcher, RunSettings settings, PrintStream out) {
    this.spec = spec;
    this.graph = PipelineGraph.of(spec);
    this.launcher = launcher;
    this.settings = settings;
    this.out = out;
    settings.from().ifPresent(job -> {
      if (spec.job(job).isEmpty()) {
        throw new IllegalArgumentException("--from " + job + ": pipeline " + spec.name() + " has jobs "
            + spec.jobNames());
      }
    });
    settings.only().ifPresent(job -> {
      if (spec.job(job).isEmpty()) {
        throw new IllegalArgumentException("--only " + job + ": pipeline " + spec.name() + " has jobs "
            + spec.jobNames());
      }
    });
  }

  /** Runs the selected jobs; the results are in {@link PipelineGraph#order()}, one per job. */
  public List<JobResult> run() {
    List<String> order = graph.order();
    List<String> selected = settings.only().map(List::of).orElse(settings.from().map(graph::fromJob).orElse(order));
    Map<String, JobResult> results = new LinkedHashMap<>();
    int position = 0;
    try {
      Files.createDirectories(settings.logDir());
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the log directory " + settings.logDir() + ": " + e.getMessage(), e);
    }
    out.printf("pipeline %s, run %s (as of %s%s): %s%n", spec.name(), settings.runId(), settings.asOf(),
        settings.master().map(m -> ", Spark jobs on " + m).orElse(""), String.join(" -> ", selected));
    for (String name : order) {
      if (!selected.contains(name)) {
        results.put(name, JobResult.notRun(name, JobResult.Status.NOT_SELECTED, ""));
        continue;
      }
      position++;
      List<String> failedUpstream = graph.upstream(name).stream()
          .filter(u -> results.containsKey(u) && selected.contains(u)
              && results.get(u).status() != JobResult.Status.SUCCEEDED)
          .toList();
      if (!failedUpstream.isEmpty()) {
        out.printf("[%d/%d] %s: not run, because %s did not succeed%n", position, selected.size(), name,
            String.join(", ", failedUpstream));
        results.put(name, JobResult.notRun(name, JobResult.Status.UPSTREAM_FAILED, "needs " + String.join(", ", failedUpstream)));
        continue;
      }
      results.put(name, runJob(spec.job(name).orElseThrow(), position, selected.size()));
    }
    return new ArrayList<>(results.values());
  }

  private JobResult runJob(JobSpec job, int position, int total) {
    List<String> args = job.render(Map.of("run_id", settings.runId(), "as_of", settings.asOf().toString()));
    int retries = settings.retries().orElse(job.retries());
    Duration delay = settings.retryDelay().orElse(spec.retryDelay());
    Path log = settings.logDir().resolve(job.name() + ".log");
    Path report = settings.logDir().resolve(job.name() + ".report.jsonl");
    long started = System.nanoTime();
    JobLauncher.Attempt attempt = null;
    int attempts = 0;
    while (attempts <= retries) {
      attempts++;
      deleteQuietly(report);
      out.printf("[%d/%d] %s: started%s (bin/spoor %s; log %s)%n", position, total, job.name(),
          attempts > 1 ? ", attempt " + attempts + " of " + (retries + 1) : "", String.join(" ", args), log);
      Map<String, String> env = new HashMap<>();
      env.put(JobReport.ENV, report.toString());
      if (job.spark()) {
        settings.master().ifPresent(master -> env.put("SPOOR_SPARK_MASTER", master));
      }
      attempt = launcher.launch(job.name(), args, env, log, spec.timeout());
      if (attempt.ok()) {
        break;
      }
      out.printf("[%d/%d] %s: attempt %d failed: %s%n", position, total, job.name(), attempts, attempt.failure());
      if (attempts <= retries && !delay.isZero()) {
        out.printf("[%d/%d] %s: retrying in %d s%n", position, total, job.name(), delay.toSeconds());
        try {
          Thread.sleep(delay.toMillis()); // the declared retry delay, not a synchronisation
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    Reported reported = Reported.read(report);
    if (attempt != null && attempt.ok()) {
      out.printf(Locale.ROOT, "[%d/%d] %s: succeeded in %.1f s%s%n", position, total, job.name(),
          took.toMillis() / 1000.0, reported.rows().isPresent() ? ", " + reported.rows().getAsLong() + " rows" : "");
      return new JobResult(job.name(), JobResult.Status.SUCCEEDED, attempts, took, reported.rows(), reported.detail());
    }
    out.printf("[%d/%d] %s: FAILED after %d attempt(s); last lines of %s:%n", position, total, job.name(), attempts, log);
    tail(log).forEach(line -> out.println("    " + line));
    return new JobResult(job.name(), JobResult.Status.FAILED, attempts, took, reported.rows(),
        attempt == null ? "" : attempt.failure());
  }

  /** The command that carries on after a failure (same run id, from the first failed job), if one failed. */
  public String resumeHint(List<JobResult> results) {
    return results.stream().filter(r -> r.status() == JobResult.Status.FAILED).findFirst()
        .map(failed -> "fix the cause (log: " + settings.logDir().resolve(failed.job() + ".log") + "), then resume with:\n"
            + "  bin/spoor run " + spec.name() + " --from " + failed.job() + " --run-id " + settings.runId()
            + " --as-of " + settings.asOf() + settings.master().map(m -> " --master " + m).orElse(""))
        .orElse("");
  }

  private static List<String> tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return lines.subList(Math.max(0, lines.size() - LOG_LINES_SHOWN), lines.size());
    } catch (IOException e) {
      return List.of("(no log: " + e.getMessage() + ")");
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A stale report only risks a wrong row count in the summary, never the job.
    }
  }

  /** What a job reported about itself ({@link JobReport}): rows written, summed over its steps. */
  record Reported(OptionalLong rows, String detail) {
    static Reported read(Path file) {
      if (!Files.isRegularFile(file)) {
        return new Reported(OptionalLong.empty(), "");
      }
      long rows = 0;
      List<String> details = new ArrayList<>();
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode node = JSON.readTree(line);
          rows += node.path("rows").asLong(0);
          String detail = node.path("detail").asText("");
          String status = node.path("status").asText("");
          details.add(status.equals("succeeded") ? detail : status + (detail.isEmpty() ? "" : " " + detail));
        }
      } catch (IOException e) {
        return new Reported(OptionalLong.empty(), "unreadable report: " + e.getMessage());
      }
      return new Reported(OptionalLong.of(rows), String.join("; ", details));
    }
  }
}
