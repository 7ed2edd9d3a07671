package dev.spoor.batch.features;

import dev.spoor.batch.event.EventView;
import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.RunOptions;
import dev.spoor.batch.run.UserKey;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
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
  public String name() {
    return "features";
  }

  @Override
  public List<String> inputs() {
    return List.of("events_clean", "sessions", "funnel_progress");
  }

  @Override
  public String output() {
    return "user_features";
  }

  @Override
  public Optional<String> partitionColumn() {
    return Optional.empty();
  }

  @Override
  public List<String> keyColumns() {
    return List.of(UserKey.COLUMN);
  }

  @Override
  public Optional<String> scopeColumn() {
    return Optional.of(UserKey.COLUMN);
  }

  @Override
  public Column scopeOf(String input) {
    return UserKey.of(input);
  }

  @Override
  public AsOfChange asOfChange(Map<String, Dataset<Row>> inputs, LocalDate previous, LocalDate current) {
    return AsOfChange.everyone();
  }

  @Override
  public Dataset<Row> compute(Map<String, Dataset<Row>> inputs, RunOptions options) {
    return UserFeatures.features(EventView.of(inputs.get("events_clean"), properties), inputs.get("sessions"),
        inputs.get("funnel_progress"), spec, options.asOf());
  }
}
