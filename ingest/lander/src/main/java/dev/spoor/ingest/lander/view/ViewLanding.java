package dev.spoor.ingest.lander.view;

import dev.spoor.lake.IdempotentWrites;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/** One micro-batch of newly landed events into every continuous view, each MERGE idempotent per batch. */
public final class ViewLanding {
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
        IdempotentWrites.run(session, appId, batchId, () -> views.merge(session, view, cached));
      }
    } finally {
      cached.unpersist();
    }
  }
}
