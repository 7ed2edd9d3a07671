package dev.spoor.batch.clean;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * {@code events} → {@code events_clean}: every event once over all history, in event-time order.
 *
 * <p>Copies with the same {@code event_id} and {@code event_fingerprint} are one event: the copy that
 * reached the collector first is kept (ties broken by Kafka position, so the choice is deterministic
 * and a re-run writes the same rows). The same {@code event_id} with different fingerprints is a
 * collision, not a duplicate: every variant is kept and flagged {@code id_collision}. Rows are sorted
 * by {@code derived_tstamp} then {@code event_id} within each {@code event_date} partition.
 */
public final class EventsClean {
  private EventsClean() {}

  public static Dataset<Row> clean(Dataset<Row> events) {
    WindowSpec copies = Window.partitionBy("event_id", "event_fingerprint")
        .orderBy(col("collector_tstamp"), col("kafka_partition"), col("kafka_offset"));
    Dataset<Row> unique = events.withColumn("_copy", row_number().over(copies))
        .filter(col("_copy").equalTo(lit(1))).drop("_copy");
    Dataset<Row> collisions = unique.groupBy("event_id")
        .agg(countDistinct("event_fingerprint").as("_variants"))
        .filter(col("_variants").gt(1))
        .select(col("event_id").as("_collided_id"), lit(true).as("id_collision"));
    return unique.join(collisions, unique.col("event_id").equalTo(collisions.col("_collided_id")), "left")
        .drop("_collided_id")
        .na().fill(false, new String[] {"id_collision"})
        .repartition(col("event_date"))
        .sortWithinPartitions(col("event_date"), col("derived_tstamp"), col("event_id"));
  }
}
