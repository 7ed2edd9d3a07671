package dev.spoor.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Appends a job's outcome as one JSON line ({@code {"job", "status", "rows", "detail"}}) to the file
 * named by {@value #ENV}, when the process was started with it (the pipeline runner does that; a
 * person running a verb by hand does not, and nothing is written). A line is appended in one write,
 * so a job with several steps reports each of them.
 */
public final class JobReport {
  /** The environment variable naming the report file. */
  public static final String ENV = "SPOOR_JOB_REPORT";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Optional<Path> file;

  private JobReport(Optional<Path> file) {
    this.file = file;
  }

  /** The report of this process: the file in {@value #ENV}, or none. */
  public static JobReport fromEnvironment() {
    String value = System.getenv(ENV);
    return new JobReport(value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value)));
  }

  public static JobReport to(Path file) {
    return new JobReport(Optional.of(file));
  }

  /** Records one finished step; {@code rows} is how many rows it wrote (or read, for a landing). */
  public void record(String job, String status, long rows, String detail) {
    if (file.isEmpty()) {
      return;
    }
    ObjectNode line = JSON.createObjectNode().put("job", job).put("status", status).put("rows", rows)
        .put("detail", detail);
    try {
      Files.writeString(file.get(), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      // The report is for the caller's summary; the job's own work is done and must not fail here.
      System.err.println("spoor: cannot write the job report " + file.get() + ": " + e.getMessage());
    }
  }
}
