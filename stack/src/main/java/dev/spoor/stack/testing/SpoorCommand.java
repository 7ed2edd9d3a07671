package dev.spoor.stack.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bin/spoor} as a person would, in a subprocess, against the test stack (its environment
 * comes from {@link TestStackConfig#environment()}), without rebuilding: the build under test is the
 * one the tests run in.
 */
public final class SpoorCommand {
  private SpoorCommand() {}

  /** Exit status and everything the command printed (stdout and stderr interleaved). */
  public record Result(int exitCode, String output) {}

  /**
   * Starts {@code bin/spoor} in the background (for long-running verbs), its output going to
   * {@code output}. The process is the JVM itself ({@code bin/spoor} execs it), so killing it kills
   * the verb.
   */
  public static Process start(java.util.Map<String, String> env, Path output, String... args) {
    Path home = TestStackConfig.home();
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/spoor").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    builder.environment().putAll(TestStackConfig.environment());
    builder.environment().put("SPOOR_SKIP_BUILD", "1");
    builder.environment().putAll(env);
    try {
      return builder.start();
    } catch (IOException e) {
      throw new AssertionError("cannot start bin/spoor: " + e.getMessage(), e);
    }
  }

  public static Result run(Duration timeout, String... args) {
    return run(java.util.Map.of(), timeout, args);
  }

  /** As {@link #run(Duration, String...)}, with extra environment variables. */
  public static Result run(java.util.Map<String, String> env, Duration timeout, String... args) {
    Path home = TestStackConfig.home();
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/spoor").toString());
    command.addAll(List.of(args));
    try {
      Path output = Files.createTempFile("spoor-cli", ".out");
      ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
          .redirectErrorStream(true).redirectOutput(output.toFile());
      builder.environment().putAll(TestStackConfig.environment());
      builder.environment().put("SPOOR_SKIP_BUILD", "1");
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("bin/spoor " + String.join(" ", args) + " did not finish within "
            + timeout + "; output so far:\n" + Files.readString(output, StandardCharsets.UTF_8));
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      Files.deleteIfExists(output);
      return new Result(process.exitValue(), text);
    } catch (IOException e) {
      throw new AssertionError("cannot run bin/spoor: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running bin/spoor", e);
    }
  }
}
