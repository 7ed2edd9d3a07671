package dev.spoor.ingest.lander.landing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;

import dev.spoor.ingest.lander.table.LakeTables;
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
    Dataset<Row> decoded = KafkaDecoding.decodeEvents(kafkaBatch).persist();
    try {
      Dataset<Row> undecodable = KafkaDecoding.undecodable(decoded);
      if (!undecodable.isEmpty()) {
        IdempotentWrites.run(session, appId, batchId, () ->
            undecodable.write().format("delta").mode("append").save(lakeRoot + "/" + LakeTables.BAD_EVENTS));
      }
      Dataset<Row> events = KafkaDecoding.events(decoded).dropDuplicates("event_id", "event_fingerprint");
      Row bounds = events.agg(min(col("collector_tstamp"))).first();
      if (bounds.isNullAt(0)) {
        return;
      }
      Timestamp since = Timestamp.from(bounds.getTimestamp(0).toInstant().minus(horizon));
      String dates = partitionsTouched(events);
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

  /** The batch's event dates, each widened by a day either side, as a SQL list of DATE literals. */
  static String partitionsTouched(Dataset<Row> events) {
    List<Row> dates = events.select("event_date").distinct().collectAsList();
    TreeSet<LocalDate> widened = new TreeSet<>();
    for (Row row : dates) {
      LocalDate date = row.getDate(0).toLocalDate();
      widened.add(date.minusDays(1));
      widened.add(date);
      widened.add(date.plusDays(1));
    }
    return widened.stream().map(d -> "DATE '" + d + "'").collect(Collectors.joining(", "));
  }
}
