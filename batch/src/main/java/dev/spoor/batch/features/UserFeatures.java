package dev.spoor.batch.features;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import dev.spoor.batch.run.UserKey;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code events_clean} + {@code sessions} + {@code funnel_progress} → {@code user_features}, one row
 * per user over their whole history, as of a date:
 * <ul>
 *   <li>recency: {@code first_seen}, {@code last_seen}, {@code recency_days} (days from the last event's
 *       date to the as-of date), {@code tenure_days} (from the first);
 *   <li>frequency: {@code events}, {@code active_days}, {@code page_views}, {@code cart_adds},
 *       {@code purchases};
 *   <li>monetary: {@code monetary} (sum of purchase revenue, 0 without purchases),
 *       {@code avg_order_value} (null without purchases);
 *   <li>engagement: {@code sessions}, {@code avg_session_seconds}, {@code events_per_session};
 *   <li>funnels: {@code funnels_converted} and {@code funnel_levels} (funnel → level reached).
 * </ul>
 * Monetary values are rounded to cents so that sums do not depend on the order Spark adds them in.
 */
public final class UserFeatures {
  private UserFeatures() {}

  public static Dataset<Row> features(Dataset<Row> eventView, Dataset<Row> sessions, Dataset<Row> funnels,
      FeatureSpec spec, LocalDate asOf) {
    Column purchase = coalesce(expr(spec.purchase()), lit(false));
    Dataset<Row> activity = eventView.groupBy(UserKey.COLUMN).agg(
        min("derived_tstamp").as("first_seen"),
        max("derived_tstamp").as("last_seen"),
        count(lit(1)).as("events"),
        count_distinct(to_date(col("derived_tstamp"))).as("active_days"),
        count(when(coalesce(expr(spec.pageView()), lit(false)), lit(1))).as("page_views"),
        count(when(coalesce(expr(spec.cartAdd()), lit(false)), lit(1))).as("cart_adds"),
        count(when(purchase, lit(1))).as("purchases"),
        round(sum(when(purchase, coalesce(expr(spec.revenue()).cast("decimal(18,2)"), lit(0)))), 2).as("_monetary"));
    Dataset<Row> engagement = sessions.groupBy(UserKey.COLUMN).agg(
        count(lit(1)).as("sessions"),
        round(avg("duration_seconds"), 3).as("avg_session_seconds"),
        round(avg("event_count"), 3).as("events_per_session"));
    Dataset<Row> conversions = funnels.groupBy(UserKey.COLUMN).agg(
        count(when(col("converted"), lit(1))).as("funnels_converted"),
        map_from_entries(sort_array(collect_list(struct(col("funnel"), col("level"))))).as("funnel_levels"));
    Column asOfDate = lit(java.sql.Date.valueOf(asOf));
    return activity
        .join(engagement, new String[] {UserKey.COLUMN}, "left")
        .join(conversions, new String[] {UserKey.COLUMN}, "left")
        .select(
            col(UserKey.COLUMN),
            asOfDate.as("as_of"),
            col("first_seen"),
            col("last_seen"),
            datediff(asOfDate, to_date(col("last_seen"))).as("recency_days"),
            datediff(asOfDate, to_date(col("first_seen"))).as("tenure_days"),
            col("events"),
            col("active_days"),
            col("page_views"),
            col("cart_adds"),
            col("purchases"),
            coalesce(col("_monetary"), lit(0)).cast("double").as("monetary"),
            when(col("purchases").gt(0), round(col("_monetary").divide(col("purchases")), 2).cast("double"))
                .as("avg_order_value"),
            coalesce(col("sessions"), lit(0L)).as("sessions"),
            col("avg_session_seconds"),
            col("events_per_session"),
            coalesce(col("funnels_converted"), lit(0L)).as("funnels_converted"),
            col("funnel_levels"));
  }
}
