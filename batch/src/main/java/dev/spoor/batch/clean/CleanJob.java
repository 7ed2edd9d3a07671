package dev.spoor.batch.clean;


import dev.spoor.batch.event.BatchDay;
import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.RunOptions;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The {@code clean} job: {@code events} and its archive → {@code events_clean} (see
 * {@link EventsClean}), the events of batch day {@code --as-of} ({@link BatchDay}). Scoped by event id: every copy of an event shares
 * its id, so the copies of a changed id are all that must be looked at again, wherever (whichever day,
 * hot or archived) they landed.
 *
 * <p>Archived events stay part of the batch truth: {@code lake archive} moves partitions from
 * {@code events} to {@code archive:events}, so clean reads both. The move shows in both change feeds
 * (deleted here, inserted there) with the same ids, whose recomputation from both tables gives the
 * same rows: archiving changes no output. (Hiding the archive's deletes from the change feed instead
 * would still lose the archived events at the next full recomputation.)
 */
public final class CleanJob implements BatchJob {
  static final String ARCHIVED = BatchJob.ARCHIVE + "events";
  @Override
  public Tables tables() {
    return new Tables("clean", List.of("events", ARCHIVED), "events_clean", Optional.of("event_date"),
        List.of("event_id", "event_fingerprint"), Optional.of("event_id"));
  }

  @Override
  public java.util.Set<String> optionalInputs() {
    return java.util.Set.of(ARCHIVED);
  }

  /** Hot and archived events as one table. */
  static Dataset<Row> allEvents(Map<String, Dataset<Row>> inputs) {
    Dataset<Row> events = inputs.get("events");
    Dataset<Row> archived = inputs.get(ARCHIVED);
    return archived == null ? events : events.unionByName(archived, true);
  }

  /** The ids of events the move of the day brings in or takes out. */
  @Override
  public AsOfChange asOfChange(Map<String, Dataset<Row>> inputs, LocalDate previous, LocalDate current) {
    return AsOfChange.of(BatchDay.crossed(allEvents(inputs), previous, current).select("event_id"));
  }

  @Override
  public Dataset<Row> compute(Map<String, Dataset<Row>> inputs, RunOptions options) {
    return EventsClean.clean(BatchDay.of(allEvents(inputs), options.asOf()));
  }
}
