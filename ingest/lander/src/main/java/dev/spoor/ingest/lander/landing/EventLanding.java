package dev.spoor.ingest.lander.landing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.spoor.fault.Failpoints;
import dev.spoor.lake.Erasures;
import dev.spoor.lake.IdempotentWrites;
import dev.spoor.lake.LakeTables;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Lands the micro-batches of the good topic: undecodable records and poison events (see
 * {@link KafkaDecoding}) to {@code bad_events}, and events to
 * {@code events} through an insert-only MERGE that skips every event whose (event_id,
 * event_fingerprint) is already there within the de-duplication horizon (or twice in the batch).
 *
 * <p>Records at or below the offsets a table has recorded for the topic ({@link LandedOffsets}, in
 * the table's own commits) are not written to it again: a batch re-run after a crash between a Delta
 * commit and the checkpoint commit, or a lander started afresh from {@code earliest}, lands nothing
 * twice, whatever the horizon. The horizon is measured in collector time, never in event time, so an
 * event that arrives days after it happened is compared with recent arrivals only and lands in its
 * own, old {@code event_date} partition. The MERGE reads only the partitions the batch touches (±1
 * day) and, thanks to file statistics, only files with recent {@code collector_tstamp}.
 *
 * <p>One instance per stream; not thread-safe (Spark runs a stream's batches one after another).
 */
public final class EventLanding {
  private final String lakeRoot;
  private final String topic;
  private final Duration horizon;
  private final StructType properties;
  private LandedOffsets eventsLanded;
  private LandedOffsets undecodableLanded;

  public EventLanding(String lakeRoot, String topic, Duration horizon, StructType properties) {
    this.lakeRoot = lakeRoot;
    this.topic = topic;
    this.horizon = horizon;
    this.properties = properties;
  }

  public void land(Dataset<Row> kafkaBatch, long batchId, String appId) {
    SparkSession session = kafkaBatch.sparkSession();
    String events = lakeRoot + "/" + LakeTables.EVENTS;
    String bad = lakeRoot + "/" + LakeTables.BAD_EVENTS;
    if (eventsLanded == null) {
      eventsLanded = LandedOffsets.read(session, events, topic);
      undecodableLanded = LandedOffsets.read(session, bad, topic);
    }
    Column freshEvent = col("valid").and(eventsLanded.notLanded());
    Column freshUndecodable = not(col("valid")).and(undecodableLanded.notLanded());
    Dataset<Row> decoded = KafkaDecoding.decodeEvents(kafkaBatch, properties).filter(freshEvent.or(freshUndecodable))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // One pass over the batch for everything the writes need to know, per Kafka partition.
      List<Row> partitions = decoded.groupBy("partition").agg(
          sum(when(col("valid"), lit(0)).otherwise(lit(1))),
          min(when(col("valid"), col("e.collector_tstamp"))),
          collect_set(when(col("valid"), col("e.event_date"))),
          max(when(col("valid"), col("offset"))),
          max(when(not(col("valid")), col("offset")))).collectAsList();
      long invalid = 0;
      Timestamp earliest = null;
      List<java.sql.Date> dates = new java.util.ArrayList<>();
      Map<Integer, Long> lastValid = new TreeMap<>();
      Map<Integer, Long> lastInvalid = new TreeMap<>();
      for (Row p : partitions) {
        invalid += p.getLong(1);
        if (!p.isNullAt(2) && (earliest == null || p.getTimestamp(2).before(earliest))) {
          earliest = p.getTimestamp(2);
        }
        dates.addAll(p.<java.sql.Date>getList(3));
        if (!p.isNullAt(4)) {
          lastValid.put(p.getInt(0), p.getLong(4));
        }
        if (!p.isNullAt(5)) {
          lastInvalid.put(p.getInt(0), p.getLong(5));
        }
      }
      if (invalid > 0) {
        LandedOffsets next = undecodableLanded.plus(lastInvalid);
        IdempotentWrites.run(session, appId, batchId, next.metadata(), () ->
            KafkaDecoding.undecodable(decoded).write().format("delta").mode("append").save(bad));
        undecodableLanded = next;
      }
      if (earliest == null) {
        return; // no valid event (or nothing new)
      }
      Timestamp since = Timestamp.from(earliest.toInstant().minus(horizon));
      LandedOffsets next = eventsLanded.plus(lastValid);
      // Events of users erased since they were collected never come back, whatever Kafka redelivers.
      Dataset<Row> fresh = Erasures.withoutErased(session, lakeRoot,
          KafkaDecoding.events(decoded).dropDuplicates("event_id", "event_fingerprint"));
      IdempotentWrites.run(session, appId, batchId, next.metadata(), () ->
          DeltaTable.forPath(session, events).as("t")
              .merge(fresh.as("s"), "t.event_id = s.event_id AND t.event_fingerprint = s.event_fingerprint"
                  + " AND t.event_date IN (" + widened(dates) + ")"
                  + " AND t.collector_tstamp >= TIMESTAMP '" + since.toInstant() + "'")
              .whenNotMatched().insertAll()
              .execute());
      // The dangerous moment: the rows are committed, the streaming checkpoint does not know yet.
      Failpoints.hit("lander.after-delta-commit-before-offset-commit");
      eventsLanded = next;
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
