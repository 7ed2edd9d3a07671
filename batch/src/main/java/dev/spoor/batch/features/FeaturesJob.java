package dev.spoor.batch.features;

import dev.spoor.batch.event.BatchDay;
import dev.spoor.batch.event.EventView;
import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.RunOptions;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code features} job (see {@link UserFeatures}), scoped by user. Recency and tenure are counted
 * to {@code --as-of}, so a run with a new as-of date recomputes every user.
 */
public final class FeaturesJob implements BatchJob {
  private final FeatureSpec spec;
  private final StructType properties;

  public FeaturesJob(FeatureSpec spec, StructType properties) {
    this.spec = spec;
    this.properties = properties;
  }

  @Override
  public Tables tables() {
    return Tables.perUser("features", List.of("events_clean", "sessions", "funnel_progress"), "user_features");
  }

  @Override
  public AsOfChange asOfChange(Map<String, Dataset<Row>> inputs, LocalDate previous, LocalDate current) {
    return AsOfChange.everyone();
  }

  @Override
  public Dataset<Row> compute(Map<String, Dataset<Row>> inputs, RunOptions options) {
    return UserFeatures.features(EventView.of(BatchDay.of(inputs.get("events_clean"), options.asOf()), properties),
        inputs.get("sessions"),
        inputs.get("funnel_progress"), spec, options.asOf());
  }
}
