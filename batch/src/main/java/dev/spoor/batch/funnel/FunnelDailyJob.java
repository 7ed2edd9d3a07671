package dev.spoor.batch.funnel;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.RunOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code funnel_progress} → {@code funnel_daily}: per funnel, per day a user entered it (the UTC date
 * of their chain's first step), per step, how many users reached that step, with the step's name. A
 * small aggregate: every run recomputes it and writes only the rows that changed.
 */
public final class FunnelDailyJob implements BatchJob {
  private final List<FunnelSpec> specs;

  public FunnelDailyJob(List<FunnelSpec> specs) {
    this.specs = List.copyOf(specs);
  }

  @Override
  public Tables tables() {
    return new Tables("funnel_daily", List.of("funnel_progress"), "funnel_daily", Optional.empty(),
        List.of("funnel", "day", "step"), Optional.empty());
  }

  @Override
  public Dataset<Row> compute(Map<String, Dataset<Row>> inputs, RunOptions options) {
    Column stepName = lit(null).cast("string");
    for (FunnelSpec spec : specs) {
      for (int i = 0; i < spec.steps().size(); i++) {
        stepName = when(col("funnel").equalTo(spec.name()).and(col("step").equalTo(i + 1)), lit(spec.steps().get(i).name()))
            .otherwise(stepName);
      }
    }
    return inputs.get("funnel_progress")
        .select(col("funnel"), to_date(element_at(col("step_times"), 1)).as("day"), posexplode(col("step_times")))
        .select(col("funnel"), col("day"), col("pos").plus(1).cast("int").as("step"))
        .groupBy("funnel", "day", "step")
        .agg(count(lit(1)).as("users"))
        .withColumn("step_name", stepName)
        .select("funnel", "day", "step", "step_name", "users");
  }
}
