package dev.spoor.batch.session;

import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.RunOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The {@code sessionize} job: {@code events_clean} → {@code sessions} (see {@link Sessionize}). */
public final class SessionizeJob implements BatchJob {
  private final Duration inactivity;

  public SessionizeJob(Duration inactivity) {
    this.inactivity = inactivity;
  }

  @Override
  public String name() {
    return "sessionize";
  }

  @Override
  public List<String> inputs() {
    return List.of("events_clean");
  }

  @Override
  public String output() {
    return "sessions";
  }

  @Override
  public String partitionColumn() {
    return "session_date";
  }

  @Override
  public Dataset<Row> compute(Map<String, Dataset<Row>> inputs, RunOptions options) {
    return Sessionize.sessions(inputs.get("events_clean"), inactivity);
  }
}
