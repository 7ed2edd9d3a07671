package dev.spoor.batch.segment;

import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.RunOptions;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The {@code segments} job: {@code user_features} + {@code user_scores} → {@code user_segments}, scoped by user. */
public final class SegmentsJob implements BatchJob {
  private final SegmentRules rules;

  public SegmentsJob(SegmentRules rules) {
    this.rules = rules;
  }

  @Override
  public Tables tables() {
    return Tables.perUser("segments", List.of("user_features", "user_scores"), "user_segments");
  }

  @Override
  public Dataset<Row> compute(Map<String, Dataset<Row>> inputs, RunOptions options) {
    return UserSegments.segments(inputs.get("user_features"), inputs.get("user_scores"), rules);
  }
}
