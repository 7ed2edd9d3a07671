package dev.spoor.ingest.lander.view;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Maintains the continuous views from the rows newly added to {@code events} (a Delta stream of the
 * events table, so every landed event is seen once, and duplicates the lander skipped never are).
 * Each micro-batch is reduced to one partial aggregate per (window, group) and MERGEd into the view's
 * Delta table: counts and sums add up, minima and maxima combine, distinct counts union their HLL
 * sketches. The MERGE is idempotent per micro-batch, so a re-run after a crash counts nothing twice;
 * the result is exact for any order of arrival within the allowed lateness.
 */
public final class ContinuousViews {
  private final List<ViewSpec> views;
  private final String lakeRoot;

  public ContinuousViews(List<ViewSpec> views, String lakeRoot) {
    this.views = List.copyOf(views);
    this.lakeRoot = lakeRoot;
  }

  public List<ViewSpec> views() {
    return views;
  }

  public String location(ViewSpec view) {
    return lakeRoot + "/" + view.name();
  }

  /** The partial aggregates of some events for one view: one row per (window, group). */
  public static Dataset<Row> partial(ViewSpec view, Dataset<Row> events) {
    Dataset<Row> eligible = events.filter(expr("collector_tstamp <= derived_tstamp + INTERVAL "
        + view.allowedLateness().toSeconds() + " SECONDS"));
    if (view.filter() != null) {
      eligible = eligible.filter(expr(view.filter()));
    }
    List<Column> groups = new ArrayList<>();
    groups.add(expr("window(derived_tstamp, '" + view.window().toSeconds() + " seconds')").as("w"));
    for (String column : view.groupBy()) {
      groups.add(col(column));
    }
    List<Column> aggregates = new ArrayList<>();
    for (ViewSpec.Aggregate a : view.aggregates()) {
      switch (a.kind()) {
        case COUNT -> aggregates.add(expr("count(" + a.expression() + ")").as(a.name()));
        case SUM -> aggregates.add(expr("sum(" + a.expression() + ")").as(a.name()));
        case MIN -> aggregates.add(expr("min(" + a.expression() + ")").as(a.name()));
        case MAX -> aggregates.add(expr("max(" + a.expression() + ")").as(a.name()));
        case APPROX_DISTINCT -> aggregates.add(expr("hll_sketch_agg(" + a.expression() + ", 12)").as(a.name() + "_sketch"));
      }
    }
    Dataset<Row> grouped = eligible.groupBy(groups.toArray(Column[]::new))
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
    List<Column> out = new ArrayList<>();
    out.add(col("w.start").as("window_start"));
    out.add(col("w.end").as("window_end"));
    view.groupBy().forEach(c -> out.add(col(c)));
    for (ViewSpec.Aggregate a : view.aggregates()) {
      if (a.kind() == ViewSpec.Kind.APPROX_DISTINCT) {
        out.add(expr("hll_sketch_estimate(" + a.name() + "_sketch)").as(a.name()));
        out.add(col(a.name() + "_sketch"));
      } else {
        out.add(col(a.name()));
      }
    }
    return grouped.select(out.toArray(Column[]::new));
  }

  /** Creates each view's table (schema from its partial aggregate of an empty events table) if missing. */
  public void createIfMissing(SparkSession spark, StructType eventsSchema) {
    Dataset<Row> none = spark.createDataFrame(List.of(), eventsSchema);
    for (ViewSpec view : views) {
      StructType schema = partial(view, none).schema();
      DeltaTable.createIfNotExists(spark).location(location(view)).addColumns(schema)
          .comment("Continuous view " + view.name() + ", maintained by the lander").execute();
    }
  }

  /** Merges the partial aggregates of {@code newEvents} into {@code view}'s table. */
  public void merge(SparkSession spark, ViewSpec view, Dataset<Row> newEvents) {
    Dataset<Row> partial = partial(view, newEvents);
    StringBuilder on = new StringBuilder("t.window_start = s.window_start");
    for (String c : view.groupBy()) {
      on.append(" AND t.").append(c).append(" <=> s.").append(c);
    }
    Map<String, String> combine = new LinkedHashMap<>();
    for (ViewSpec.Aggregate a : view.aggregates()) {
      String t = "t." + a.name();
      String s = "s." + a.name();
      switch (a.kind()) {
        case COUNT -> combine.put(a.name(), t + " + " + s);
        case SUM -> combine.put(a.name(), "CASE WHEN " + t + " IS NULL THEN " + s + " WHEN " + s + " IS NULL THEN " + t
            + " ELSE " + t + " + " + s + " END");
        case MIN -> combine.put(a.name(), "least(" + t + ", " + s + ")");
        case MAX -> combine.put(a.name(), "greatest(" + t + ", " + s + ")");
        case APPROX_DISTINCT -> {
          combine.put(a.name() + "_sketch", "hll_union(t." + a.name() + "_sketch, s." + a.name() + "_sketch)");
          combine.put(a.name(), "hll_sketch_estimate(hll_union(t." + a.name() + "_sketch, s." + a.name() + "_sketch))");
        }
      }
    }
    DeltaTable.forPath(spark, location(view)).as("t")
        .merge(partial.as("s"), on.toString())
        .whenMatched().updateExpr(combine)
        .whenNotMatched().insertAll()
        .execute();
  }
}
