package dev.spoor.ingest.lander.view;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/** One micro-batch of newly landed events into every continuous view, each MERGE idempotent per batch. */
public final class ViewLanding {
  static final String APP_ID = "spark.databricks.delta.write.txnAppId";
  static final String VERSION = "spark.databricks.delta.write.txnVersion";

  private final ContinuousViews views;
  private final String appId;

  public ViewLanding(ContinuousViews views, String appId) {
    this.views = views;
    this.appId = appId;
  }

  public void land(Dataset<Row> newEvents, long batchId) {
    SparkSession session = newEvents.sparkSession();
    Dataset<Row> cached = newEvents.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      if (cached.isEmpty()) {
        return;
      }
      for (ViewSpec view : views.views()) {
        session.conf().set(APP_ID, appId);
        session.conf().set(VERSION, Long.toString(batchId));
        try {
          views.merge(session, view, cached);
        } finally {
          session.conf().unset(APP_ID);
          session.conf().unset(VERSION);
        }
      }
    } finally {
      cached.unpersist();
    }
  }
}
