package dev.spoor.stack.runtime;

import dev.spoor.stack.StackException;
import dev.spoor.stack.process.LogTail;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs Maven for the downloads the stack needs, always with the project's settings file (which
 * mirrors every repository to Maven Central). Output goes to a log file that is shown on failure.
 */
final class MavenRunner {
  private MavenRunner() {}

  static void run(Path home, List<String> arguments, String purpose) {
    List<String> command = new ArrayList<>();
    command.add("mvn");
    command.add("-B");
    command.add("-q");
    command.add("--settings");
    command.add(home.resolve(".mvn/settings.xml").toString());
    command.addAll(arguments);
    Path log;
    try {
      log = Files.createTempFile("spoor-mvn", ".log");
    } catch (IOException e) {
      throw new StackException("cannot create a temporary file: " + e.getMessage(), e);
    }
    try {
      Process process = new ProcessBuilder(command)
          .directory(home.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      int exit = process.waitFor();
      if (exit != 0) {
        throw new StackException("Maven failed to " + purpose + " (exit " + exit + "):\n"
            + LogTail.indented(log, 25) + "  command: " + String.join(" ", command));
      }
      Files.deleteIfExists(log);
    } catch (IOException e) {
      throw new StackException("cannot run Maven to " + purpose + " (" + e.getMessage()
          + "); install it with: apt-get install -y maven", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while Maven tried to " + purpose, e);
    }
  }
}
