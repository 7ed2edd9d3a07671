package dev.spoor.pipeline.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a job as {@code bin/spoor ARGS} in a child process, the way a person or Airflow's BashOperator
 * would, so every job runs exactly as it does by hand (Spark jobs through {@code spark-submit}). The
 * child gets the runner's environment plus the job's; a child still running at the timeout is killed
 * with its descendants.
 */
public final class SpoorCliLauncher implements JobLauncher {
  private final Path home;

  public SpoorCliLauncher(Path home) {
    this.home = home;
  }

  @Override
  public Attempt launch(String job, List<String> args, Map<String, String> environment, Path log, Duration timeout) {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/spoor").toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return new Attempt(-1, "cannot start " + command.get(0) + ": " + e.getMessage());
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        return new Attempt(-1, "timed out after " + timeout.toMinutes() + " min");
      }
      int exit = process.exitValue();
      return exit == 0 ? Attempt.succeeded() : new Attempt(exit, "exited with status " + exit);
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Attempt(-1, "interrupted");
    }
  }
}
