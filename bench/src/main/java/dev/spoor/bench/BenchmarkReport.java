package dev.spoor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a benchmark's section of {@code docs/BENCHMARKS.md}: the section between
 * {@code <!-- bench:NAME -->} and {@code <!-- /bench:NAME -->} is replaced (or appended), so each
 * benchmark owns its figures and re-running it updates them in place.
 */
public final class BenchmarkReport {
  private BenchmarkReport() {}

  public static void write(Path file, String name, String markdown) throws IOException {
    String begin = "<!-- bench:" + name + " -->";
    String end = "<!-- /bench:" + name + " -->";
    String section = begin + "\n" + markdown.strip() + "\n" + end;
    String text = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Benchmarks\n";
    Matcher m = Pattern.compile(Pattern.quote(begin) + ".*?" + Pattern.quote(end), Pattern.DOTALL).matcher(text);
    String updated = m.find()
        ? text.substring(0, m.start()) + section + text.substring(m.end())
        : text.stripTrailing() + "\n\n" + section + "\n";
    Files.writeString(file, updated, StandardCharsets.UTF_8);
  }
}
