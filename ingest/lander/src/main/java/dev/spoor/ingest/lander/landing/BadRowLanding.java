package dev.spoor.ingest.lander.landing;

import dev.spoor.lake.erasure.ErasureKey;
import dev.spoor.lake.erasure.ErasureLog;

import dev.spoor.fault.Failpoints;
import dev.spoor.lake.IdempotentWrites;
import dev.spoor.lake.LakeTables;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Lands the micro-batches of the bad topic into {@code bad_events}: records at or below the offsets
 * the table has recorded for the topic (see {@link LandedOffsets}) are skipped, the rest appended with
 * the offsets the batch covers in the same commit, except bad rows naming an id erased since they were
 * collected. One instance per stream; not thread-safe (Spark
 * runs a stream's batches one after another).
 */
public final class BadRowLanding {
  private final String table;
  private final String topic;
  private final String checkpoint;
  private final String lakeRoot;
  private final ErasureKey erasureKey;
  private LandedOffsets landed;

  public BadRowLanding(String lakeRoot, String topic, String checkpoint, ErasureKey erasureKey) {
    this.lakeRoot = lakeRoot;
    this.erasureKey = erasureKey;
    this.table = lakeRoot + "/" + LakeTables.BAD_EVENTS;
    this.topic = topic;
    this.checkpoint = checkpoint;
  }

  public void land(Dataset<Row> kafkaBatch, long batchId, String appId) {
    SparkSession session = kafkaBatch.sparkSession();
    if (landed == null) {
      landed = LandedOffsets.read(session, table, topic);
    }
    Map<Integer, Long> covered = BatchOffsets.lastOffsets(session, checkpoint, batchId, topic);
    LandedOffsets next = landed.plus(covered);
    if (next.offsets().equals(landed.offsets())) {
      return;
    }
    Dataset<Row> fresh = kafkaBatch.filter(landed.notLanded());
    IdempotentWrites.run(session, appId, batchId, next.metadata(), () ->
        ErasureLog.read(session, lakeRoot, erasureKey).withoutErasedBadRows(KafkaDecoding.badRows(fresh))
            .write().format("delta").mode("append").save(table));
    Failpoints.hit("lander.bad.after-delta-commit");
    landed = next;
  }
}
