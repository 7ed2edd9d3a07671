package dev.spoor.stack.runtime;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Maven is downloading, read from its transfer output ({@code Progress (1): 412/820 MB} while a
 * file arrives, {@code Downloaded from …: URL (9.2 MB at 75 MB/s)} when one is done), and a line that
 * says it: {@code Trino 476: 412.0/820.0 MB  50%  9.8 MB/s  ETA 0:42} for a large file, or
 * {@code the kafka runtime: 57 files, 45.6 MB, 9.8 MB/s} for many small ones. Pure: the caller feeds
 * the output and a clock and prints the line.
 */
final class DownloadProgress {
  private static final Pattern PROGRESS = Pattern.compile("Progress \\(\\d+\\): (.*)");
  private static final Pattern PART = Pattern.compile("([0-9.]+)(?:/([0-9.]+))? ?(B|kB|KB|MB|GB)");
  private static final Pattern DOWNLOADED = Pattern.compile("^Downloaded from [^:]+: \\S+ \\(([0-9.]+) ?(B|kB|KB|MB|GB)");

  /** A file this large gets its own progress (the Trino server); smaller ones are counted. */
  static final long LARGE = 50_000_000L;

  private final String what;
  private long finishedBytes;
  private int finishedFiles;
  private long currentBytes;
  private long currentTotal;
  private long startNanos = -1;
  private long lastNanos;

  DownloadProgress(String what) {
    this.what = what;
  }

  /** Takes one line (or {@code \r}-separated update) of Maven's output, seen at {@code nanos}. */
  void accept(String line, long nanos) {
    Matcher progress = PROGRESS.matcher(line.trim());
    if (progress.matches()) {
      started(nanos);
      long bytes = 0;
      long total = 0;
      for (String part : progress.group(1).split("\\|")) {
        Matcher m = PART.matcher(part.trim());
        if (m.find()) {
          long unit = unit(m.group(3));
          bytes += (long) (Double.parseDouble(m.group(1)) * unit);
          total += m.group(2) == null ? 0 : (long) (Double.parseDouble(m.group(2)) * unit);
        }
      }
      currentBytes = bytes;
      currentTotal = total;
      return;
    }
    Matcher done = DOWNLOADED.matcher(line.trim());
    if (done.find()) {
      started(nanos);
      finishedFiles++;
      finishedBytes += (long) (Double.parseDouble(done.group(1)) * unit(done.group(2)));
      currentBytes = 0;
      currentTotal = 0;
    }
  }

  private void started(long nanos) {
    if (startNanos < 0) {
      startNanos = nanos;
    }
    lastNanos = nanos;
  }

  private static long unit(String unit) {
    return switch (unit) {
      case "GB" -> 1_000_000_000L;
      case "MB" -> 1_000_000L;
      case "kB", "KB" -> 1_000L;
      default -> 1L;
    };
  }

  /** Whether anything was downloaded at all (nothing: everything was in the local repository). */
  boolean anything() {
    return startNanos >= 0;
  }

  /** Percent of the large file under way, or -1 when none is (small files are only counted). */
  int percent() {
    return currentTotal >= LARGE ? (int) Math.min(100, currentBytes * 100 / currentTotal) : -1;
  }

  /** The line to show now. */
  String line(long nanos) {
    double seconds = Math.max(0.001, (Math.max(nanos, lastNanos) - startNanos) / 1e9);
    long bytes = finishedBytes + currentBytes;
    double rate = startNanos < 0 ? 0 : bytes / seconds;
    if (currentTotal >= LARGE) { // a large file under way: its own progress, rate and time left
      long left = rate > 0 ? (long) ((currentTotal - currentBytes) / rate) : -1;
      return String.format(Locale.ROOT, "%s: %.1f/%.1f MB  %d%%  %.1f MB/s  ETA %s", what, currentBytes / 1e6,
          currentTotal / 1e6, percent(), rate / 1e6, left < 0 ? "?" : clock(Duration.ofSeconds(left)));
    }
    return String.format(Locale.ROOT, "%s: %d file%s, %.1f MB, %.1f MB/s", what, finishedFiles,
        finishedFiles == 1 ? "" : "s", bytes / 1e6, rate / 1e6);
  }

  static String clock(Duration duration) {
    long s = duration.toSeconds();
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
