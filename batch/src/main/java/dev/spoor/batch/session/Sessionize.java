package dev.spoor.batch.session;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.spoor.batch.run.UserKey;
import java.time.Duration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * {@code events_clean} → {@code sessions}: per user (user id, else domain user id), events in event
 * time order ({@code derived_tstamp}, ties by {@code event_id}); a new session starts when the gap to
 * the previous event exceeds the inactivity timeout. Arrival order plays no part, so shuffled, late and
 * redelivered input (once cleaned) gives the same sessions as sorted input.
 *
 * <p>Output: {@code user_key, session_id} (a hash of the user and the session's first event, stable
 * across runs), {@code session_index} (1-based per user), start, end, duration, event count, entry and
 * exit page (first and last page URL), events per event name, and {@code session_date} (UTC date of
 * the start, the partition).
 */
public final class Sessionize {
  private Sessionize() {}

  public static Dataset<Row> sessions(Dataset<Row> clean, Duration inactivity) {
    WindowSpec byUser = Window.partitionBy("user_key").orderBy(col("derived_tstamp"), col("event_id"));
    Column gapMicros = unix_micros(col("derived_tstamp")).minus(unix_micros(col("_previous")));
    Dataset<Row> marked = clean
        .withColumn("user_key", UserKey.ofEvent())
        .filter(col("user_key").isNotNull())
        .withColumn("_previous", lag(col("derived_tstamp"), 1).over(byUser)) // one lag, though the gap is used twice
        .withColumn("_new", when(gapMicros.isNull().or(gapMicros.gt(lit(inactivity.toNanos() / 1000))), lit(1))
            .otherwise(lit(0)))
        .withColumn("session_index", sum(col("_new")).over(byUser.rowsBetween(Window.unboundedPreceding(), Window.currentRow())));

    // One pass over the sorted events, no join: per session and event name first (counts, first and
    // last event, first and last page), then per session. Both group by columns that start with the
    // user key, so both run in the window's partitions, without another shuffle.
    Column order = struct(col("derived_tstamp"), col("event_id"));
    Column page = when(col("page_url").isNotNull(), struct(col("derived_tstamp"), col("event_id"), col("page_url")));
    Dataset<Row> perName = marked.groupBy("user_key", "session_index", "event_name").agg(
        count(lit(1)).as("_n"), min(order).as("_first"), max(order).as("_last"),
        min(page).as("_entry"), max(page).as("_exit"));
    return perName.groupBy("user_key", "session_index").agg(
            min("_first").as("_first"),
            max("_last").as("_last"),
            sum("_n").as("event_count"),
            min("_entry").getField("page_url").as("entry_page"),
            max("_exit").getField("page_url").as("exit_page"),
            map_from_entries(sort_array(collect_list(struct(col("event_name"), col("_n"))))).as("events_by_name"))
        .select(
            col("user_key"),
            substring(sha2(concat_ws("|", col("user_key"), col("_first.event_id")), 256), 1, 32).as("session_id"),
            col("session_index").cast("int").as("session_index"),
            col("_first.derived_tstamp").as("session_start"),
            col("_last.derived_tstamp").as("session_end"),
            unix_micros(col("_last.derived_tstamp")).minus(unix_micros(col("_first.derived_tstamp"))).divide(1_000_000.0)
                .as("duration_seconds"),
            col("event_count"),
            col("entry_page"),
            col("exit_page"),
            col("events_by_name"),
            to_date(col("_first.derived_tstamp")).as("session_date"));
  }
}
