package dev.spoor.lake.erasure;

import static org.apache.spark.sql.functions.max;

import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The erasure log ({@value #TABLE}): one row per erased id, keyed by its HMAC ({@link ErasureKey},
 * never the id), with its kind ({@code user_id} or {@code domain_userid}), the erasure time and the
 * id of the key that computed it. An erasure is recorded here before any data is deleted, so that a
 * lander or speed layer running meanwhile already drops the user's in-flight events; whatever writes
 * events or bad rows into the lake reads it once per write and passes them through
 * {@link ErasedIds#withoutErased} or {@link ErasedIds#withoutErasedBadRows}.
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

  /** What {@link #record} did: how many ids were new, and the log with them. */
  public record Recorded(int added, ErasedIds log) {}

  /** Appends the ids not in the log yet (a re-run of an erasure keeps the first time), in one commit. */
  public static Recorded record(SparkSession spark, String lakeRoot, ErasureKey key, Set<String> users,
      Set<String> devices, Instant at) {
    ErasedIds known = read(spark, lakeRoot, key);
    Map<String, Timestamp> knownUsers = new HashMap<>(known.users());
    Map<String, Timestamp> knownDevices = new HashMap<>(known.devices());
    List<Row> rows = new ArrayList<>();
    for (String user : users) {
      if (knownUsers.putIfAbsent(key.hmac(user), Timestamp.from(at)) == null) {
        rows.add(RowFactory.create(key.hmac(user), USER_ID, Timestamp.from(at), key.keyId()));
      }
    }
    for (String device : devices) {
      if (knownDevices.putIfAbsent(key.hmac(device), Timestamp.from(at)) == null) {
        rows.add(RowFactory.create(key.hmac(device), DOMAIN_USERID, Timestamp.from(at), key.keyId()));
      }
    }
    if (!rows.isEmpty()) {
      spark.createDataFrame(rows, SCHEMA).write().format("delta").mode("append").save(lakeRoot + "/" + TABLE);
    }
    return new Recorded(rows.size(), new ErasedIds(key, knownUsers, knownDevices, known.legacySha256()));
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
}
