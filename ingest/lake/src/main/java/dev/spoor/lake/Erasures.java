package dev.spoor.lake;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sha2;

import io.delta.tables.DeltaTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The erasure log ({@value #TABLE}): one row per erased user, keyed by the SHA-256 of the user key
 * (never the key), with the erasure time. Whatever writes events into the lake passes them through
 * {@link #withoutErased} so that events of an erased user collected before the erasure never come back
 * (Kafka may redeliver them); events collected after it are new data and are kept.
 */
public final class Erasures {
  public static final String TABLE = "erasures";
  public static final StructType SCHEMA = new StructType()
      .add("user_hash", DataTypes.StringType, false)
      .add("erased_at", DataTypes.TimestampType, false)
      .add("rows_deleted", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)
      .add("state_erased", DataTypes.BooleanType, false);

  private Erasures() {}

  /** SHA-256 of the user key in hex, as the log and {@link #withoutErased} compare it. */
  public static String hash(String userKey) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(userKey.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * The events (columns {@code user_id}, {@code domain_userid}, {@code collector_tstamp}) without those
   * of an erased user (by either id) collected at or before their erasure. The events themselves when
   * nothing was ever erased.
   */
  public static Dataset<Row> withoutErased(SparkSession spark, String lakeRoot, Dataset<Row> events) {
    String path = lakeRoot + "/" + TABLE;
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return events;
    }
    Dataset<Row> erased = broadcast(spark.read().format("delta").load(path)
        .groupBy("user_hash").agg(max("erased_at").as("erased_at")));
    Dataset<Row> kept = events;
    for (String id : new String[] {"user_id", "domain_userid"}) {
      kept = kept.join(erased, sha2(kept.col(id), 256).equalTo(erased.col("user_hash"))
          .and(kept.col("collector_tstamp").leq(erased.col("erased_at"))), "left_anti");
    }
    return kept;
  }
}
