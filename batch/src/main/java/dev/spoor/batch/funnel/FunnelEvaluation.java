package dev.spoor.batch.funnel;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.spoor.batch.run.UserKey;
import dev.spoor.config.InvalidConfigException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Funnels over events, with the code both the {@code funnels} job and {@code bin/spoor funnels try}
 * run. Each event is tagged with the steps whose SQL conditions it satisfies and whether it matches an
 * exclusion (plain Spark SQL, so conditions are as fast as any query); then each user's tagged events
 * are evaluated in event-time order ({@code derived_tstamp}, ties by {@code event_id}) by
 * {@link WindowFunnel}.
 *
 * <p>Output ({@code funnel_progress}), one row per user and funnel where step 1 was reached:
 * {@code user_key, funnel, level, steps, step_times} (the time of each reached step of the chain that
 * reached the level), {@code entered_at}, {@code converted}, {@code converted_at},
 * {@code seconds_to_convert}.
 */
public final class FunnelEvaluation {
  static final StructType LEVELS = new StructType()
      .add(UserKey.COLUMN, DataTypes.StringType, false)
      .add("funnel", DataTypes.StringType, false)
      .add("level", DataTypes.IntegerType, false)
      .add("step_micros", DataTypes.createArrayType(DataTypes.LongType, false), false);

  private FunnelEvaluation() {}

  /**
   * Checks every condition against the columns of {@code eventView}: it must parse, name only
   * existing columns and fields, and be boolean. The error names the funnel and step.
   */
  public static void validate(List<FunnelSpec> specs, Dataset<Row> eventView, String path) {
    for (FunnelSpec spec : specs) {
      for (int i = 0; i < spec.steps().size(); i++) {
        check(eventView, spec.steps().get(i).where(), path + "." + spec.name() + ".steps[" + i + "].where");
      }
      for (int i = 0; i < spec.exclude().size(); i++) {
        check(eventView, spec.exclude().get(i), path + "." + spec.name() + ".exclude[" + i + "]");
      }
    }
  }

  private static void check(Dataset<Row> view, String condition, String key) {
    org.apache.spark.sql.types.DataType type;
    try {
      type = view.select(expr(condition)).schema().fields()[0].dataType();
    } catch (Exception e) { // AnalysisException is checked in Java's eyes but thrown all the same
      throw new InvalidConfigException(key, "\"" + condition + "\"",
          "a SQL condition over the event's columns and properties (" + firstLine(e.getMessage()) + ")");
    }
    if (!type.equals(DataTypes.BooleanType)) {
      throw new InvalidConfigException(key, "\"" + condition + "\"", "a boolean condition, not " + type.simpleString());
    }
  }

  private static String firstLine(String message) {
    String line = message == null ? "" : message.lines().findFirst().orElse("").replaceAll("\\s+SQLSTATE.*", "");
    return line.length() > 400 ? line.substring(0, 400) + "…" : line;
  }

  /** Spark's reason for rejecting an expression, in one line. */
  public static String reason(Exception e) {
    return firstLine(e.getMessage());
  }

  /** {@code funnel_progress} for every funnel, from an event view (see {@code EventView}). */
  public static Dataset<Row> progress(Dataset<Row> eventView, List<FunnelSpec> specs) {
    Dataset<Row> tagged = null;
    Map<String, WindowFunnel> evaluators = new HashMap<>();
    for (FunnelSpec spec : specs) {
      evaluators.put(spec.name(), spec.evaluator());
      Column[] matches = new Column[spec.steps().size()];
      for (int i = 0; i < matches.length; i++) {
        matches[i] = when(coalesce(expr(spec.steps().get(i).where()), lit(false)), lit(i));
      }
      Column excluded = lit(false);
      for (String condition : spec.exclude()) {
        excluded = excluded.or(coalesce(expr(condition), lit(false)));
      }
      Dataset<Row> events = eventView.select(
          col(UserKey.COLUMN), lit(spec.name()).as("funnel"), unix_micros(col("derived_tstamp")).as("micros"),
          col("event_id"), filter(array(matches), x -> x.isNotNull()).as("steps"), excluded.as("excluded"));
      if (!spec.modes().contains(WindowFunnel.Mode.STRICT_ORDER)) {
        events = events.filter(size(col("steps")).gt(0).or(col("excluded")));
      }
      tagged = tagged == null ? events : tagged.unionAll(events);
    }
    if (tagged == null) {
      return eventView.sparkSession().createDataFrame(List.of(), LEVELS);
    }
    Dataset<Row> levels = tagged
        .groupByKey((MapFunction<Row, String>) r -> r.getString(1) + "\u0000" + r.getString(0), Encoders.STRING())
        .flatMapGroups(evaluate(evaluators), Encoders.row(LEVELS));
    Column times = transform(col("step_micros"), m -> timestamp_micros(m));
    Column converted = col("level").equalTo(col("steps"));
    Map<String, Integer> stepCounts = new HashMap<>();
    specs.forEach(s -> stepCounts.put(s.name(), s.steps().size()));
    Column steps = lit(0);
    for (var entry : stepCounts.entrySet()) {
      steps = when(col("funnel").equalTo(entry.getKey()), lit(entry.getValue())).otherwise(steps);
    }
    return levels
        .withColumn("steps", steps)
        .select(
            col(UserKey.COLUMN), col("funnel"), col("level"), col("steps"),
            times.as("step_times"),
            timestamp_micros(element_at(col("step_micros"), 1)).as("entered_at"),
            converted.as("converted"),
            when(converted, timestamp_micros(element_at(col("step_micros"), -1))).as("converted_at"),
            when(converted, element_at(col("step_micros"), -1).minus(element_at(col("step_micros"), 1)).divide(1_000_000.0))
                .as("seconds_to_convert"));
  }

  private static FlatMapGroupsFunction<String, Row, Row> evaluate(Map<String, WindowFunnel> evaluators) {
    return (key, rows) -> {
      record Tagged(long micros, String eventId, int[] steps, boolean excluded) {}
      List<Tagged> events = new ArrayList<>();
      String user = null;
      String funnel = null;
      while (rows.hasNext()) {
        Row r = rows.next();
        user = r.getString(0);
        funnel = r.getString(1);
        List<Integer> steps = r.getList(4);
        events.add(new Tagged(r.getLong(2), r.getString(3), steps.stream().mapToInt(Integer::intValue).toArray(),
            r.getBoolean(5)));
      }
      events.sort(Comparator.comparingLong(Tagged::micros).thenComparing(Tagged::eventId));
      List<WindowFunnel.Event> ordered = new ArrayList<>(events.size());
      for (Tagged t : events) {
        ordered.add(new WindowFunnel.Event(t.micros(), t.steps(), t.excluded()));
      }
      WindowFunnel.Result result = evaluators.get(funnel).evaluate(ordered);
      if (result.level() == 0) {
        return java.util.Collections.emptyIterator();
      }
      return List.of(RowFactory.create(user, funnel, result.level(), result.stepMicros().toArray(new Long[0]))).iterator();
    };
  }
}
