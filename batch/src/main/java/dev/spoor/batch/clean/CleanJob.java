package dev.spoor.batch.clean;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.RunOptions;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The {@code clean} job: {@code events} → {@code events_clean} (see {@link EventsClean}), events up to
 * {@code --as-of}. Scoped by event id: every copy of an event shares its id, so the copies of a changed
 * id are all that must be looked at again, wherever (whichever day) they landed.
 */
public final class CleanJob implements BatchJob {
  /** The ids of events whose day the move crosses: they enter (or leave) the output. */
  @Override
  public Tables tables() {
    return new Tables("clean", List.of("events"), "events_clean", Optional.of("event_date"),
        List.of("event_id", "event_fingerprint"), Optional.of("event_id"));
  }

  @Override
  public AsOfChange asOfChange(Map<String, Dataset<Row>> inputs, LocalDate previous, LocalDate current) {
    LocalDate from = previous.isBefore(current) ? previous : current;
    LocalDate to = previous.isBefore(current) ? current : previous;
    return AsOfChange.of(inputs.get("events")
        .filter(col("event_date").gt(lit(java.sql.Date.valueOf(from))).and(col("event_date").leq(lit(java.sql.Date.valueOf(to)))))
        .select("event_id"));
  }

  @Override
  public Dataset<Row> compute(Map<String, Dataset<Row>> inputs, RunOptions options) {
    return EventsClean.clean(inputs.get("events").filter(col("event_date").leq(lit(java.sql.Date.valueOf(options.asOf())))));
  }
}
