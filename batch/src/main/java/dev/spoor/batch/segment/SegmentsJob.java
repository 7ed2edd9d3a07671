package dev.spoor.batch.segment;

import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.RunOptions;
import dev.spoor.batch.run.UserKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The {@code segments} job: {@code user_features} + {@code user_scores} → {@code user_segments}, scoped by user. */
public final class SegmentsJob implements BatchJob {
  private final SegmentRules rules;

  public SegmentsJob(SegmentRules rules) {
    this.rules = rules;
  }

  @Override
  public String name() {
    return "segments";
  }

  @Override
  public List<String> inputs() {
    return List.of("user_features", "user_scores");
  }

  @Override
  public String output() {
    return "user_segments";
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
  public Dataset<Row> compute(Map<String, Dataset<Row>> inputs, RunOptions options) {
    return UserSegments.segments(inputs.get("user_features"), inputs.get("user_scores"), rules);
  }
}
