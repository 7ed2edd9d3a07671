package dev.spoor.lake;

import org.apache.spark.sql.SparkSession;

/**
 * Delta's idempotent writes for a streaming micro-batch: every write of batch N of a stream carries
 * the stream's application id and version N, and Delta skips it when that table has already
 * committed version N (or later) for that application. A batch that Spark re-runs after a crash
 * therefore commits nothing twice, for MERGE as well as for appends. The session given must be the
 * micro-batch's own (each streaming query has a cloned session), so concurrent streams do not see
 * each other's settings.
 */
public final class IdempotentWrites {
  static final String APP_ID = "spark.databricks.delta.write.txnAppId";
  static final String VERSION = "spark.databricks.delta.write.txnVersion";

  private IdempotentWrites() {}

  public static void run(SparkSession session, String appId, long batchId, Runnable write) {
    session.conf().set(APP_ID, appId);
    session.conf().set(VERSION, Long.toString(batchId));
    try {
      write.run();
    } finally {
      session.conf().unset(APP_ID);
      session.conf().unset(VERSION);
    }
  }
}
