package dev.spoor.ingest.lander.landing;

import dev.spoor.lake.LakeTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Lands one micro-batch of the bad topic into {@code bad_events}, idempotently per batch. */
public final class BadRowLanding {
  private final String lakeRoot;
  private final String appId;

  public BadRowLanding(String lakeRoot, String appId) {
    this.lakeRoot = lakeRoot;
    this.appId = appId;
  }

  public void land(Dataset<Row> kafkaBatch, long batchId) {
    Dataset<Row> rows = KafkaDecoding.badRows(kafkaBatch);
    rows.write().format("delta").mode("append")
        .option("txnAppId", appId).option("txnVersion", batchId)
        .save(lakeRoot + "/" + LakeTables.BAD_EVENTS);
  }
}
