package dev.spoor.batch.score;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.spoor.batch.run.UserKey;
import dev.spoor.config.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * {@code user_features} → {@code user_scores}: the {@link Scorecard} as Spark SQL columns:
 * {@code user_key, as_of, score, points} (feature → points), {@code reason_codes} and {@code reasons}
 * (costliest first).
 */
public final class UserScores {
  private UserScores() {}

  /** Every scored feature must be a numeric column of {@code features}. */
  public static void validate(Scorecard card, Dataset<Row> features, String path) {
    for (int i = 0; i < card.features().size(); i++) {
      String name = card.features().get(i).feature();
      StructField field = java.util.Arrays.stream(features.schema().fields()).filter(f -> f.name().equals(name))
          .findFirst().orElseThrow(() -> new InvalidConfigException(path, name,
              "a numeric column of user_features (" + String.join(", ", features.columns()) + ")"));
      if (!(field.dataType() instanceof NumericType)) {
        throw new InvalidConfigException(path, name, "a numeric feature, not " + field.dataType().simpleString());
      }
    }
  }

  public static Dataset<Row> scores(Dataset<Row> features, Scorecard card) {
    validate(card, features, "spoor.batch.scorecard.features");
    List<Column> pointColumns = new ArrayList<>();
    List<Column> mapEntries = new ArrayList<>();
    List<Column> costs = new ArrayList<>();
    for (int i = 0; i < card.features().size(); i++) {
      Scorecard.Feature f = card.features().get(i);
      Column value = col(f.feature()).cast("double");
      Column points = lit(f.missing());
      List<Scorecard.Bin> bins = f.bins();
      Column binned = lit(bins.get(bins.size() - 1).points());
      for (int b = bins.size() - 2; b >= 0; b--) {
        binned = when(value.lt(lit(bins.get(b).below())), lit(bins.get(b).points())).otherwise(binned);
      }
      points = when(value.isNull(), points).otherwise(binned);
      pointColumns.add(points);
      mapEntries.add(lit(f.feature()));
      mapEntries.add(points);
      costs.add(struct(lit(f.best()).minus(points).as("cost"), lit(-i).as("order"), lit(f.code()).as("code"),
          lit(f.reason()).as("reason")));
    }
    Column total = lit(card.base());
    for (Column p : pointColumns) {
      total = total.plus(p);
    }
    Dataset<Row> scored = features.select(
        col(UserKey.COLUMN), col("as_of"),
        least(lit(card.max()), greatest(lit(card.min()), total)).cast("int").as("score"),
        map(mapEntries.toArray(Column[]::new)).as("points"),
        array(costs.toArray(Column[]::new)).as("_costs"));
    // Costliest first; equal costs in declaration order (order is −index, so larger is earlier).
    Column top = expr("slice(reverse(array_sort(filter(_costs, c -> c.cost > 0))), 1, " + Math.max(card.reasons(), 1) + ")");
    return scored
        .withColumn("_top", card.reasons() == 0 ? expr("array()").cast("array<struct<cost:int,order:int,code:string,reason:string>>") : top)
        .withColumn("reason_codes", expr("transform(_top, c -> c.code)"))
        .withColumn("reasons", expr("transform(_top, c -> c.reason)"))
        .drop("_costs", "_top");
  }
}
