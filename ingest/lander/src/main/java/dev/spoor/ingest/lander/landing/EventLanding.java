package dev.spoor.ingest.lander.landing;

import dev.spoor.lake.IdempotentWrites;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.spoor.lake.Erasures;
import dev.spoor.lake.LakeTables;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Lands one micro-batch of the good topic: undecodable records to {@code bad_events}, and events to
 * {@code events} through an insert-only MERGE that skips every event whose (event_id,
 * event_fingerprint) is already there within the de-duplication horizon (or twice in the batch).
 *
 * <p>The horizon is measured in collector time, never in event time, so an event that arrives days
 * after it happened is compared with recent arrivals only and lands in its own, old
 * {@code event_date} partition. The MERGE reads only the partitions the batch touches (±1 day) and,
 * thanks to file statistics, only files with recent {@code collector_tstamp}. Both writes are
 * idempotent per batch (see {@link IdempotentWrites}).
 */
public final class EventLanding {
  private final String lakeRoot;
  private final String appId;
  private final Duration horizon;

  public EventLanding(String lakeRoot, String appId, Duration horizon) {
    this.lakeRoot = lakeRoot;
    this.appId = appId;
    this.horizon = horizon;
  }

  public void land(Dataset<Row> kafkaBatch, long batchId) {
    SparkSession session = kafkaBatch.sparkSession();
    Dataset<Row> decoded = KafkaDecoding.decodeEvents(kafkaBatch).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // One pass over the batch for everything the writes need to know.
      Row summary = decoded.agg(
          sum(when(col("valid"), lit(0)).otherwise(lit(1))),
          min(when(col("valid"), col("e.collector_tstamp"))),
          collect_set(when(col("valid"), col("e.event_date")))).first();
      if (summary.isNullAt(0)) {
        return; // empty batch
      }
      if (summary.getLong(0) > 0) {
        Dataset<Row> undecodable = KafkaDecoding.undecodable(decoded);
        IdempotentWrites.run(session, appId, batchId, () ->
            undecodable.write().format("delta").mode("append").save(lakeRoot + "/" + LakeTables.BAD_EVENTS));
      }
      if (summary.isNullAt(1)) {
        return; // no valid event
      }
      Timestamp since = Timestamp.from(summary.getTimestamp(1).toInstant().minus(horizon));
      String dates = widened(summary.<java.sql.Date>getList(2));
      // Events of users erased since they were collected never come back, whatever Kafka redelivers.
      Dataset<Row> events = Erasures.withoutErased(session, lakeRoot,
          KafkaDecoding.events(decoded).dropDuplicates("event_id", "event_fingerprint"));
      IdempotentWrites.run(session, appId, batchId, () ->
          DeltaTable.forPath(session, lakeRoot + "/" + LakeTables.EVENTS).as("t")
              .merge(events.as("s"), "t.event_id = s.event_id AND t.event_fingerprint = s.event_fingerprint"
                  + " AND t.event_date IN (" + dates + ")"
                  + " AND t.collector_tstamp >= TIMESTAMP '" + since.toInstant() + "'")
              .whenNotMatched().insertAll()
              .execute());
    } finally {
      decoded.unpersist();
    }
  }

  /** The dates, each widened by a day either side, as a SQL list of DATE literals. */
  static String widened(List<java.sql.Date> dates) {
    TreeSet<LocalDate> widened = new TreeSet<>();
    for (java.sql.Date date : dates) {
      LocalDate day = date.toLocalDate();
      widened.add(day.minusDays(1));
      widened.add(day);
      widened.add(day.plusDays(1));
    }
    return widened.stream().map(d -> "DATE '" + d + "'").collect(Collectors.joining(", "));
  }
}
