package dev.spoor.batch.funnel;

import dev.spoor.batch.event.BatchDay;
import dev.spoor.batch.event.EventView;
import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.RunOptions;
import dev.spoor.batch.run.UserKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code funnels} job: the events of batch day {@code --as-of} ({@link dev.spoor.batch.event.BatchDay}) in
 * {@code events_clean} → {@code funnel_progress} for every funnel declared in
 * {@code spoor.batch.funnels} (see {@link FunnelEvaluation}), scoped by user: a user's level depends
 * only on that user's events.
 */
public final class FunnelsJob implements BatchJob {
  private final List<FunnelSpec> specs;
  private final StructType properties;

  public FunnelsJob(List<FunnelSpec> specs, StructType properties) {
    this.specs = List.copyOf(specs);
    this.properties = properties;
  }

  public List<FunnelSpec> specs() {
    return specs;
  }

  @Override
  public Tables tables() {
    return new Tables("funnels", List.of("events_clean"), "funnel_progress", Optional.of("funnel"),
        List.of(UserKey.COLUMN, "funnel"), Optional.of(UserKey.COLUMN));
  }

  /** The users whose events the move of the day brings in or takes out. */
  @Override
  public AsOfChange asOfChange(Map<String, Dataset<Row>> inputs, java.time.LocalDate previous, java.time.LocalDate current) {
    return AsOfChange.of(BatchDay.crossed(inputs.get("events_clean"), previous, current).select(UserKey.ofEvent()));
  }

  @Override
  public Dataset<Row> compute(Map<String, Dataset<Row>> inputs, RunOptions options) {
    Dataset<Row> view = EventView.of(BatchDay.of(inputs.get("events_clean"), options.asOf()), properties);
    FunnelEvaluation.validate(specs, view, "spoor.batch.funnels");
    return FunnelEvaluation.progress(view, specs);
  }
}
