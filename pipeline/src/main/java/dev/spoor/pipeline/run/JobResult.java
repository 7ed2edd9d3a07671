package dev.spoor.pipeline.run;

import java.time.Duration;
import java.util.OptionalLong;

/** How one job of a pipeline run ended, for the summary table. */
public record JobResult(String job, Status status, int attempts, Duration duration, OptionalLong rows, String detail) {
  /** The end states of a job in a run. */
  public enum Status {
    SUCCEEDED("succeeded"),
    FAILED("FAILED"),
    /** Not run because a job it depends on failed. */
    UPSTREAM_FAILED("not run: upstream failed"),
    /** Not run because it is not downstream of {@code --from} (or not the {@code --only} job). */
    NOT_SELECTED("not run: not selected");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  static JobResult notRun(String job, Status status, String detail) {
    return new JobResult(job, status, 0, Duration.ZERO, OptionalLong.empty(), detail);
  }
}
