package dev.spoor.stack.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log file, read from its end so that large logs cost nothing. */
public final class LogTail {
  private static final int MAX_BYTES = 64 * 1024;

  private LogTail() {}

  public static List<String> lastLines(Path log, int lines) {
    if (!Files.isRegularFile(log)) {
      return List.of();
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      int toRead = (int) Math.min(length, MAX_BYTES);
      byte[] buffer = new byte[toRead];
      file.seek(length - toRead);
      file.readFully(buffer);
      String[] all = new String(buffer, StandardCharsets.UTF_8).split("\r?\n");
      return Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length);
    } catch (IOException e) {
      return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
    }
  }

  /** The tail as an indented block for error messages. */
  public static String indented(Path log, int lines) {
    StringBuilder out = new StringBuilder();
    for (String line : lastLines(log, lines)) {
      out.append("    ").append(line).append('\n');
    }
    return out.length() == 0 ? "    (log is empty: " + log + ")\n" : out.toString();
  }
}
