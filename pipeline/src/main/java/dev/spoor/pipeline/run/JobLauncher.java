package dev.spoor.pipeline.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Starts one attempt of a job and waits for it. The runner's only way to run anything, so that the
 * graph logic (order, retries, stopping dependants) is tested without starting Spark.
 */
public interface JobLauncher {
  /**
   * Runs {@code args} (a {@code bin/spoor} command line) with extra environment, its output appended to
   * {@code log}; returns the exit status, or fails the attempt after {@code timeout}.
   */
  Attempt launch(String job, List<String> args, Map<String, String> environment, Path log, Duration timeout);

  /** How an attempt ended: its exit status (-1 when it timed out) and a reason when it failed. */
  record Attempt(int exitCode, String failure) {
    public static Attempt succeeded() {
      return new Attempt(0, "");
    }

    public boolean ok() {
      return exitCode == 0;
    }
  }
}
