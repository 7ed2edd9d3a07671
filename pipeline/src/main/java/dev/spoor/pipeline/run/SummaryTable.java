package dev.spoor.pipeline.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table printed at the end of a run: job, status, attempts, duration, rows, detail. */
public final class SummaryTable {
  private SummaryTable() {}

  public static String render(List<JobResult> results) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"JOB", "STATUS", "ATTEMPTS", "DURATION", "ROWS", "DETAIL"});
    for (JobResult r : results) {
      rows.add(new String[] {r.job(), r.status().label(), r.attempts() == 0 ? "-" : Integer.toString(r.attempts()),
          r.attempts() == 0 ? "-" : String.format(Locale.ROOT, "%.1f s", r.duration().toMillis() / 1000.0),
          r.rows().isPresent() ? String.format(Locale.ROOT, "%,d", r.rows().getAsLong()) : "-", r.detail()});
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        boolean numeric = i == 2 || i == 3 || i == 4;
        String cell = numeric ? " ".repeat(widths[i] - row[i].length()) + row[i]
            : row[i] + " ".repeat(widths[i] - row[i].length());
        line.append(i == 0 ? "" : "  ").append(cell);
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
