package dev.spoor.stack.process;

import dev.spoor.stack.StackException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A command a service needs run once before it starts (formatting its storage), its output in a log. */
public final class OneShotCommand {
  private OneShotCommand() {}

  /**
   * Runs {@code command} to completion within {@code timeout}, its output to {@code log}.
   *
   * @param what what the command does, for the error ("formatting HDFS in var/hdfs-namenode")
   * @throws StackException when it cannot start, exits non-zero or outlives the timeout (with the log's end)
   */
  public static void run(List<String> command, Path log, Duration timeout, String what) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new StackException(what + " failed:\n" + LogTail.indented(log, 20));
      }
    } catch (IOException e) {
      throw new StackException(what + ": cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted: " + what, e);
    }
  }
}
