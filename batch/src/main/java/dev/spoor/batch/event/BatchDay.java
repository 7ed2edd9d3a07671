package dev.spoor.batch.event;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What {@code --as-of D} means, for every job: the events of batch day D are those that happened on
 * or before D ({@code event_date <= D}) and had reached the collector before D ended (UTC). The second
 * half makes a run reproducible: a backfill of an old day (Airflow catch-up, a re-run weeks later)
 * reads exactly the events a run on that day could read, not the late arrivals that came after it
 * (they count from the day they arrived on). Every event is then at most D old, so recency is never
 * negative.
 */
public final class BatchDay {
  private BatchDay() {}

  /** True for an event (columns {@code event_date}, {@code collector_tstamp}) of batch day {@code day}. */
  public static Column includes(LocalDate day) {
    Timestamp end = Timestamp.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    return col("event_date").leq(lit(Date.valueOf(day))).and(col("collector_tstamp").lt(lit(end)));
  }

  /** The events of batch day {@code day}. */
  public static Dataset<Row> of(Dataset<Row> events, LocalDate day) {
    return events.filter(includes(day));
  }

  /** The events that one of the two days includes and the other does not: what moving the day changes. */
  public static Dataset<Row> crossed(Dataset<Row> events, LocalDate previous, LocalDate current) {
    return events.filter(includes(previous).notEqual(includes(current)));
  }
}
