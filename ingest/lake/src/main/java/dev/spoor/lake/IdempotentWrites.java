package dev.spoor.lake;

import org.apache.spark.sql.SparkSession;

/**
 * Delta's idempotent writes for a streaming micro-batch: every write of batch N of a stream carries
 * the stream's application id and version N, and Delta skips it when that table has already
 * committed version N (or later) for that application. A batch that Spark re-runs after a crash
 * therefore commits nothing twice, for MERGE as well as for appends. Optionally the commit carries
 * user metadata (the lander records the Kafka offsets it covers there, in the same atomic commit).
 * The session given must be the micro-batch's own (each streaming query has a cloned session), so
 * concurrent streams do not see each other's settings.
 */
public final class IdempotentWrites {
  static final String APP_ID = "spark.databricks.delta.write.txnAppId";
  static final String VERSION = "spark.databricks.delta.write.txnVersion";
  static final String USER_METADATA = "spark.databricks.delta.commitInfo.userMetadata";

  private IdempotentWrites() {}

  public static void run(SparkSession session, String appId, long batchId, Runnable write) {
    run(session, appId, batchId, null, write);
  }

  /** As above, the commit carrying {@code userMetadata} (none when null). */
  public static void run(SparkSession session, String appId, long batchId, String userMetadata, Runnable write) {
    session.conf().set(APP_ID, appId);
    session.conf().set(VERSION, Long.toString(batchId));
    if (userMetadata != null) {
      session.conf().set(USER_METADATA, userMetadata);
    }
    try {
      write.run();
    } finally {
      session.conf().unset(APP_ID);
      session.conf().unset(VERSION);
      session.conf().unset(USER_METADATA);
    }
  }
}
