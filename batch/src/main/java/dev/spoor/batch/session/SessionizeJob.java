package dev.spoor.batch.session;

import dev.spoor.batch.event.BatchDay;
import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.RunOptions;
import dev.spoor.batch.run.UserKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The {@code sessionize} job: the events of batch day {@code --as-of} ({@link BatchDay}) in
 * {@code events_clean} → {@code sessions} (see {@link Sessionize}), scoped by user.
 */
public final class SessionizeJob implements BatchJob {
  private final Duration inactivity;

  public SessionizeJob(Duration inactivity) {
    this.inactivity = inactivity;
  }

  @Override
  public Tables tables() {
    return new Tables("sessionize", List.of("events_clean"), "sessions", Optional.of("session_date"),
        List.of(UserKey.COLUMN, "session_id"), Optional.of(UserKey.COLUMN));
  }

  /** The users whose events the move of the day brings in or takes out. */
  @Override
  public AsOfChange asOfChange(Map<String, Dataset<Row>> inputs, java.time.LocalDate previous, java.time.LocalDate current) {
    return AsOfChange.of(BatchDay.crossed(inputs.get("events_clean"), previous, current).select(UserKey.ofEvent()));
  }

  @Override
  public Dataset<Row> compute(Map<String, Dataset<Row>> inputs, RunOptions options) {
    return Sessionize.sessions(BatchDay.of(inputs.get("events_clean"), options.asOf()), inactivity);
  }
}
