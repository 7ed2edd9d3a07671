package dev.spoor.batch.session;

import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.RunOptions;
import dev.spoor.batch.run.UserKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The {@code sessionize} job: {@code events_clean} → {@code sessions} (see {@link Sessionize}), scoped by user. */
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

  @Override
  public Dataset<Row> compute(Map<String, Dataset<Row>> inputs, RunOptions options) {
    return Sessionize.sessions(inputs.get("events_clean"), inactivity);
  }
}
