package dev.spoor.stack.runtime;

import dev.spoor.stack.StackException;
import dev.spoor.stack.process.LogTail;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs Maven for the downloads the stack needs, always with the project's settings file (which
 * mirrors every repository to Maven Central). Output goes to a log file that is shown on failure;
 * what Maven downloads meanwhile is shown as one progress line on stderr ({@link DownloadProgress}):
 * rewritten in place on a terminal, a line every 10 % (or every 15 s) in a log.
 */
final class MavenRunner {
  private static final long TERMINAL_EVERY_NANOS = 250_000_000L;
  private static final long LOG_EVERY_NANOS = 15_000_000_000L;

  private MavenRunner() {}

  /** Runs Maven with {@code arguments}; {@code what} names the download in the progress line. */
  static void run(Path home, List<String> arguments, String purpose, String what) {
    List<String> command = new ArrayList<>();
    command.add("mvn");
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
      // Not in batch mode: only then does Maven report each transfer's progress.
      Process process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).start();
      process.getOutputStream().close();
      DownloadProgress progress = new DownloadProgress(what);
      try (Reader in = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8);
          Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
        follow(in, out, progress);
      }
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

  /** Copies Maven's output to the log, feeding each line and each {@code \r} update to the progress. */
  private static void follow(Reader in, Writer out, DownloadProgress progress) throws IOException {
    boolean terminal = System.console() != null;
    StringBuilder segment = new StringBuilder();
    long shown = System.nanoTime();
    int shownPercent = -10;
    char[] buffer = new char[8192];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      out.write(buffer, 0, n);
      for (int i = 0; i < n; i++) {
        char c = buffer[i];
        if (c != '\r' && c != '\n') {
          segment.append(c);
          continue;
        }
        long now = System.nanoTime();
        progress.accept(segment.toString(), now);
        segment.setLength(0);
        int percent = progress.percent();
        boolean due = terminal ? now - shown >= TERMINAL_EVERY_NANOS
            : percent >= shownPercent + 10 || (progress.anything() && now - shown >= LOG_EVERY_NANOS);
        if (progress.anything() && due) {
          System.err.print(terminal ? "\r" + progress.line(now) + "\033[K" : progress.line(now) + "\n");
          shown = now;
          shownPercent = percent >= 0 ? percent / 10 * 10 : shownPercent;
        }
      }
    }
    if (progress.anything()) {
      System.err.print((terminal ? "\r" : "") + progress.line(System.nanoTime()) + (terminal ? "\033[K\n" : "\n"));
    }
  }
}
