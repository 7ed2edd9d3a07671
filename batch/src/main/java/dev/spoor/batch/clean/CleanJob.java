package dev.spoor.batch.clean;

import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.RunOptions;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The {@code clean} job: {@code events} → {@code events_clean} (see {@link EventsClean}). */
public final class CleanJob implements BatchJob {
  @Override
  public String name() {
    return "clean";
  }

  @Override
  public List<String> inputs() {
    return List.of("events");
  }

  @Override
  public String output() {
    return "events_clean";
  }

  @Override
  public String partitionColumn() {
    return "event_date";
  }

  @Override
  public Dataset<Row> compute(Map<String, Dataset<Row>> inputs, RunOptions options) {
    return EventsClean.clean(inputs.get("events").filter("event_date <= DATE '" + options.asOf() + "'"));
  }
}
