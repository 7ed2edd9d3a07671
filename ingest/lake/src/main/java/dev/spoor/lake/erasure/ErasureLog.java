package dev.spoor.lake.erasure;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.udf;

import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The erasure log ({@value #TABLE}): one row per erased id, keyed by its HMAC ({@link ErasureKey},
 * never the id), with its kind ({@code user_id} or {@code domain_userid}), the erasure time and the
 * id of the key that computed it. An erasure is recorded here before any data is deleted, so that a
 * lander or speed layer running meanwhile already drops the user's in-flight events; whatever writes
 * events or bad rows into the lake passes them through {@link #withoutErased} or
 * {@link #withoutErasedBadRows}.
 */
public final class ErasureLog {
  public static final String TABLE = "erasure_log";
  /** The log of Spoor versions before the HMAC one: SHA-256 of the id, read, never written. */
  static final String LEGACY_TABLE = "erasures";
  public static final String USER_ID = "user_id";
  public static final String DOMAIN_USERID = "domain_userid";
  static final StructType SCHEMA = new StructType()
      .add("id_hmac", DataTypes.StringType, false)
      .add("id_kind", DataTypes.StringType, false)
      .add("erased_at", DataTypes.TimestampType, false)
      .add("key_id", DataTypes.StringType, false);

  private ErasureLog() {}

  /**
   * Appends the ids not in the log yet (a re-run of an erasure keeps the first time), in one commit.
   * Returns how many were new.
   */
  public static int record(SparkSession spark, String lakeRoot, ErasureKey key, Set<String> users,
      Set<String> devices, Instant at) {
    ErasedIds known = read(spark, lakeRoot, key);
    List<Row> rows = new ArrayList<>();
    for (String user : users) {
      if (!known.users().containsKey(key.hmac(user))) {
        rows.add(RowFactory.create(key.hmac(user), USER_ID, Timestamp.from(at), key.keyId()));
      }
    }
    for (String device : devices) {
      if (!known.devices().containsKey(key.hmac(device))) {
        rows.add(RowFactory.create(key.hmac(device), DOMAIN_USERID, Timestamp.from(at), key.keyId()));
      }
    }
    if (!rows.isEmpty()) {
      spark.createDataFrame(rows, SCHEMA).write().format("delta").mode("append").save(lakeRoot + "/" + TABLE);
    }
    return rows.size();
  }

  /**
   * Every erased id, read from the log (a few rows per erasure, so collected to the driver). Fails
   * when the log was written with another secret: its entries would silently match nothing.
   */
  public static ErasedIds read(SparkSession spark, String lakeRoot, ErasureKey key) {
    Map<String, Timestamp> users = new HashMap<>();
    Map<String, Timestamp> devices = new HashMap<>();
    String path = lakeRoot + "/" + TABLE;
    if (DeltaTable.isDeltaTable(spark, path)) {
      for (Row row : spark.read().format("delta").load(path).groupBy("id_hmac", "id_kind", "key_id")
          .agg(max("erased_at")).collectAsList()) {
        if (!row.getString(2).equals(key.keyId())) {
          throw new IllegalStateException("the erasure log " + path + " was written with another secret (key id "
              + row.getString(2) + ", this process has " + key.keyId() + "): set the same SPOOR_ERASURE_SECRET"
              + " (or spoor.erasure.secret-file) for every Spoor process");
        }
        (row.getString(1).equals(USER_ID) ? users : devices).put(row.getString(0), row.getTimestamp(3));
      }
    }
    Map<String, Timestamp> legacy = new HashMap<>();
    String legacyPath = lakeRoot + "/" + LEGACY_TABLE;
    if (DeltaTable.isDeltaTable(spark, legacyPath)) {
      for (Row row : spark.read().format("delta").load(legacyPath).groupBy("user_hash").agg(max("erased_at"))
          .collectAsList()) {
        legacy.put(row.getString(0), row.getTimestamp(1));
      }
    }
    return new ErasedIds(key, users, devices, legacy);
  }

  /**
   * The events (columns {@code user_id}, {@code domain_userid}, {@code collector_tstamp}) without
   * those of an erased id collected at or before its erasure ({@link ErasedIds#drops}). The events
   * themselves when nothing was ever erased.
   */
  public static Dataset<Row> withoutErased(SparkSession spark, String lakeRoot, ErasureKey key, Dataset<Row> events) {
    ErasedIds erased = read(spark, lakeRoot, key);
    if (erased.isEmpty()) {
      return events;
    }
    UserDefinedFunction drops = udf((UDF3<String, String, Timestamp, Boolean>) erased::drops, DataTypes.BooleanType)
        .withName("spoor_erased");
    return events.filter(not(drops.apply(col("user_id"), col("domain_userid"), col("collector_tstamp"))));
  }

  /**
   * The bad rows (columns {@code payload}, {@code payload_encoding}, {@code collector_tstamp}) without
   * those whose payload names an erased id ({@link ErasedIds#dropsBadRow}) and were collected at or
   * before its erasure.
   */
  public static Dataset<Row> withoutErasedBadRows(SparkSession spark, String lakeRoot, ErasureKey key,
      Dataset<Row> badRows) {
    ErasedIds erased = read(spark, lakeRoot, key);
    if (erased.isEmpty()) {
      return badRows;
    }
    UserDefinedFunction drops = udf((UDF3<String, String, Timestamp, Boolean>) erased::dropsBadRow,
        DataTypes.BooleanType).withName("spoor_erased");
    return badRows.filter(not(drops.apply(col("payload"), col("payload_encoding"), col("collector_tstamp"))));
  }
}
