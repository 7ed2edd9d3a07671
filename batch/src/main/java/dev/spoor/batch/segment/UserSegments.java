package dev.spoor.batch.segment;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.spoor.batch.run.UserKey;
import dev.spoor.config.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code user_features} + {@code user_scores} → {@code user_segments}: {@code user_key, as_of,
 * segments} (the names of the segments the user is in, sorted; empty when none), one row per user.
 * Predicates see every feature column plus {@code score}, {@code reason_codes} and {@code points}.
 */
public final class UserSegments {
  private UserSegments() {}

  /** The columns predicates are evaluated over. */
  public static Dataset<Row> profile(Dataset<Row> features, Dataset<Row> scores) {
    return features.join(scores.select(UserKey.COLUMN, "score", "reason_codes", "points"),
        new String[] {UserKey.COLUMN}, "left");
  }

  public static void validate(SegmentRules rules, Dataset<Row> profile, String path) {
    for (var rule : rules.rules().entrySet()) {
      org.apache.spark.sql.types.DataType type;
      try {
        type = profile.select(expr(rule.getValue())).schema().fields()[0].dataType();
      } catch (Exception e) { // AnalysisException is checked in Java's eyes but thrown all the same
        throw new InvalidConfigException(path + "." + rule.getKey(), "\"" + rule.getValue() + "\"",
            "a SQL predicate over user features and scores (" + dev.spoor.batch.funnel.FunnelEvaluation.reason(e) + ")");
      }
      if (!type.equals(DataTypes.BooleanType)) {
        throw new InvalidConfigException(path + "." + rule.getKey(), "\"" + rule.getValue() + "\"",
            "a boolean predicate, not " + type.simpleString());
      }
    }
  }

  public static Dataset<Row> segments(Dataset<Row> features, Dataset<Row> scores, SegmentRules rules) {
    Dataset<Row> profile = profile(features, scores);
    validate(rules, profile, "spoor.batch.segments");
    List<Column> members = new ArrayList<>();
    rules.rules().keySet().stream().sorted().forEach(name ->
        members.add(when(coalesce(expr(rules.rules().get(name)), lit(false)), lit(name))));
    Column segments = members.isEmpty()
        ? array().cast("array<string>")
        : filter(array(members.toArray(Column[]::new)), s -> s.isNotNull());
    return profile.select(col(UserKey.COLUMN), col("as_of"), segments.as("segments"));
  }
}
