package dev.spoor.batch.run;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

/**
 * The arguments every batch job takes: {@code JOB [--run-id ID] [--as-of YYYY-MM-DD] [--full]}. The run
 * id names the run in {@code batch_runs} (default: a UTC timestamp); {@code --as-of} is the last day
 * of events the run covers (default: today, UTC).
 */
public record RunOptions(String job, String runId, LocalDate asOf, boolean full) {
  /** Thrown for arguments that do not parse; the message says which and what was expected. */
  public static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  public static RunOptions parse(String[] args, Set<String> jobs) {
    if (args.length == 0) {
      throw new UsageException("a job is needed: " + String.join(", ", jobs.stream().sorted().toList()));
    }
    String job = args[0];
    if (!jobs.contains(job)) {
      throw new UsageException("unknown job '" + job + "' (jobs: " + String.join(", ", jobs.stream().sorted().toList()) + ")");
    }
    String runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(java.time.ZonedDateTime.now(ZoneOffset.UTC));
    LocalDate asOf = LocalDate.now(ZoneOffset.UTC);
    boolean full = false;
    List<String> rest = List.of(args).subList(1, args.length);
    for (int i = 0; i < rest.size(); i++) {
      String arg = rest.get(i);
      switch (arg) {
        case "--full" -> full = true;
        case "--run-id" -> {
          runId = value(rest, ++i, arg);
          if (!runId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new UsageException("--run-id '" + runId + "': expected 1 to 64 letters, digits, '.', '_' or '-'");
          }
        }
        case "--as-of" -> {
          String text = value(rest, ++i, arg);
          try {
            asOf = LocalDate.parse(text);
          } catch (DateTimeParseException e) {
            throw new UsageException("--as-of '" + text + "': expected a date like 2026-11-20");
          }
        }
        default -> throw new UsageException("unknown argument '" + arg + "' (expected --run-id ID, --as-of DATE, --full)");
      }
    }
    return new RunOptions(job, runId, asOf, full);
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(i);
  }
}
