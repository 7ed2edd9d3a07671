package dev.spoor.ingest.lander.view;

import dev.spoor.lake.IdempotentWrites;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * One micro-batch of newly landed events into every continuous view, each MERGE idempotent per batch.
 * A view's expression that cannot be evaluated for an event (a cast that fails, a division by zero)
 * is NULL for that event, which aggregates skip, instead of an error that would stop every view for
 * everyone: the views' stream evaluates without ANSI errors (landing has already turned events whose
 * properties do not read as their declared types into bad rows).
 */
public final class ViewLanding {
  private static final String ANSI = "spark.sql.ansi.enabled";
  private final ContinuousViews views;
  private final String appId;

  public ViewLanding(ContinuousViews views, String appId) {
    this.views = views;
    this.appId = appId;
  }

  public void land(Dataset<Row> newEvents, long batchId) {
    SparkSession session = newEvents.sparkSession();
    String ansi = session.conf().get(ANSI);
    session.conf().set(ANSI, "false");
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
      session.conf().set(ANSI, ansi);
    }
  }
}
