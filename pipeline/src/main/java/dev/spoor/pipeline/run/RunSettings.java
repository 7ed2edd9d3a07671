package dev.spoor.pipeline.run;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One run's choices: its id (passed to every job, so re-running it resumes: batch jobs skip a run id
 * they already finished), the as-of day, where to start (or the one job to run), the Spark master for
 * {@code spark} jobs, retry overrides, and the directory that receives each job's log.
 */
public record RunSettings(String runId, LocalDate asOf, Optional<String> from, Optional<String> master,
    OptionalInt retries, Optional<Duration> retryDelay, Path logDir, Optional<String> only) {
  /** Settings running every job (or those from {@code from} on). */
  public RunSettings(String runId, LocalDate asOf, Optional<String> from, Optional<String> master, OptionalInt retries,
      Optional<Duration> retryDelay, Path logDir) {
    this(runId, asOf, from, master, retries, retryDelay, logDir, Optional.empty());
  }
}
