package dev.spoor.ingest.lander.landing;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import dev.spoor.fault.Failpoints;
import dev.spoor.lake.erasure.ErasedIds;
import dev.spoor.lake.erasure.ErasureKey;
import dev.spoor.lake.erasure.ErasureLog;
import dev.spoor.lake.IdempotentWrites;
import dev.spoor.lake.LakeTables;
import java.time.Duration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Lands the good topic: events to {@code events}, undecodable records and poison events (see
 * {@link KafkaDecoding}) to {@code bad_events}, each by appending, never by a MERGE.
 *
 * <p><b>Duplicates</b> (same {@code event_id} and {@code event_fingerprint}) are dropped by the stream
 * itself ({@link #deduplicated}): Spark's {@code dropDuplicatesWithinWatermark}, its keys in the
 * checkpoint's state store (RocksDB), kept for the horizon of collector time. The time a key is kept by
 * is the collector time clamped to [batch time − horizon, batch time], so no record is ever older than
 * the watermark (Spark would drop it silently): a backlog read hours late is de-duplicated over at
 * least the horizon, and a collector clock ahead cannot push the watermark past anyone. Event time
 * plays no part: an event that arrives days after it happened lands in its own, old {@code event_date}.
 *
 * <p><b>Exactly once</b>: each batch's appends carry Delta's transaction id of the query and batch (a
 * batch Spark re-runs after a crash commits nothing twice), and each commit records, per Kafka
 * partition, the last offset the batch covered ({@link LandedOffsets}; from the batch's entry in the
 * checkpoint's offset log, so records dropped as duplicates count as covered). Records at or below
 * those offsets are never written again, whatever the checkpoint says.
 *
 * <p>One instance per stream; not thread-safe (Spark runs a stream's batches one after another).
 */
public final class EventLanding {
  private final String lakeRoot;
  private final String topic;
  private final Duration horizon;
  private final org.apache.spark.sql.types.StructType properties;
  private final String checkpoint;
  private final ErasureKey erasureKey;
  private LandedOffsets eventsLanded;
  private LandedOffsets badLanded;

  public EventLanding(String lakeRoot, String topic, Duration horizon,
      org.apache.spark.sql.types.StructType properties, String checkpoint, ErasureKey erasureKey) {
    this.lakeRoot = lakeRoot;
    this.topic = topic;
    this.horizon = horizon;
    this.properties = properties;
    this.checkpoint = checkpoint;
    this.erasureKey = erasureKey;
  }

  /**
   * The records of {@code kafka} (a stream of the good topic), decoded (columns of
   * {@link KafkaDecoding#decodeEvents}), each event once within the horizon.
   */
  public Dataset<Row> deduplicated(Dataset<Row> kafka) {
    landed(kafka.sparkSession());
    Column key = when(col("valid"), concat(col("e.event_id"), lit("/"), col("e.event_fingerprint")))
        // Not an event: never a duplicate of anything (the bad row keeps every copy Kafka holds).
        .otherwise(concat(lit("kafka/"), col("partition").cast("string"), lit("/"), col("offset").cast("string")));
    String interval = "INTERVAL " + horizon.toMillis() + " MILLISECONDS";
    Column batchTime = current_timestamp();
    Column kept = least(greatest(coalesce(col("e.collector_tstamp"), col("timestamp")),
        batchTime.minus(expr(interval))), batchTime);
    return KafkaDecoding.decodeEvents(kafka, properties)
        // Only a bad row needs the record's bytes: the rest is shuffled and cached without them.
        .withColumn("value", when(col("valid"), lit(null).cast("binary")).otherwise(col("value")))
        .drop("key")
        .withColumn("dedup_key", key)
        .withColumn("dedup_time", kept)
        .withWatermark("dedup_time", horizon.toMillis() + " milliseconds")
        .dropDuplicatesWithinWatermark("dedup_key");
  }

  /** What {@code events} has recorded as landed from the topic (read once). */
  public LandedOffsets landed(SparkSession session) {
    if (eventsLanded == null) {
      eventsLanded = LandedOffsets.read(session, lakeRoot + "/" + LakeTables.EVENTS, topic);
      badLanded = LandedOffsets.read(session, lakeRoot + "/" + LakeTables.BAD_EVENTS, topic);
    }
    return eventsLanded;
  }

  /** Lands one micro-batch of {@link #deduplicated}. */
  public void land(Dataset<Row> batch, long batchId, String appId) {
    SparkSession session = batch.sparkSession();
    java.util.Map<Integer, Long> covered = BatchOffsets.lastOffsets(session, checkpoint, batchId, topic);
    Dataset<Row> all = batch.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      if (eventsLanded.plus(covered).offsets().equals(eventsLanded.offsets())) {
        all.count(); // the state is committed for every batch, even one Spark runs to move the watermark on
        return;
      }
      // Skipped after the de-duplication, not before: a batch re-run after a crash must give the state
      // store the same records as the first time, or the keys of the batch would be lost from it.
      Dataset<Row> decoded = all.filter(when(col("valid"), eventsLanded.notLanded()).otherwise(badLanded.notLanded()));
      long invalid = decoded.filter(not(col("valid"))).count();
      // Events (and bad rows) of ids erased since they were collected never come back, whatever Kafka
      // redelivers: the log is read once per batch.
      ErasedIds erased = ErasureLog.read(session, lakeRoot, erasureKey);
      // Bad rows first: once events has recorded these offsets, every record up to them has landed.
      if (invalid > 0) {
        LandedOffsets next = badLanded.plus(covered);
        IdempotentWrites.run(session, appId, batchId, next.metadata(), () ->
            erased.withoutErasedBadRows(KafkaDecoding.undecodable(decoded))
                .write().format("delta").mode("append").save(lakeRoot + "/" + LakeTables.BAD_EVENTS));
        badLanded = next;
      }
      LandedOffsets next = eventsLanded.plus(covered);
      Dataset<Row> events = erased.withoutErased(KafkaDecoding.events(decoded));
      IdempotentWrites.run(session, appId, batchId, next.metadata(), () ->
          events.write().format("delta").mode("append").save(lakeRoot + "/" + LakeTables.EVENTS));
      // The dangerous moment: the rows are committed, the streaming checkpoint does not know yet.
      Failpoints.hit("lander.after-delta-commit-before-offset-commit");
      eventsLanded = next;
    } finally {
      all.unpersist();
    }
  }
}
