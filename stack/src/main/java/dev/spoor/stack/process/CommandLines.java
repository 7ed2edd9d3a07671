package dev.spoor.stack.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The full command line of a process. {@code ProcessHandle.Info.commandLine()} truncates long command
 * lines (a JVM with a Maven classpath loses its main class), so on Linux it is read from
 * {@code /proc/PID/cmdline}, which is complete.
 */
final class CommandLines {
  private CommandLines() {}

  static Optional<String> of(long pid) {
    Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
    try {
      byte[] raw = Files.readAllBytes(cmdline);
      if (raw.length > 0) {
        return Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim());
      }
    } catch (IOException | SecurityException e) {
      // not Linux, or the process is gone or not ours: fall back to what the JDK can see
    }
    return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine());
  }
}
