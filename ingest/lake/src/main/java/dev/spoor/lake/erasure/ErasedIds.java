package dev.spoor.lake.erasure;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.udf;

import java.io.Serializable;
import java.sql.Timestamp;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataTypes;

/**
 * The ids in the erasure log, by HMAC, each with when it was erased: user ids, and domain user ids
 * (browsers and devices whose anonymous events were erased). An event is dropped when it was collected
 * at or before the erasure of its user id, or, having no user id, of its domain user id. Events
 * collected later are new data and are kept. Also reads the log of older Spoor versions
 * ({@code erasures}, SHA-256 of either id).
 */
public record ErasedIds(ErasureKey key, Map<String, Timestamp> users, Map<String, Timestamp> devices,
    Map<String, Timestamp> legacySha256) implements Serializable {

  public ErasedIds {
    users = Map.copyOf(users);
    devices = Map.copyOf(devices);
    legacySha256 = Map.copyOf(legacySha256);
  }

  public boolean isEmpty() {
    return users.isEmpty() && devices.isEmpty() && legacySha256.isEmpty();
  }

  /** Whether an event with these ids, collected then, belongs to an erasure. */
  public boolean drops(String userId, String domainUserid, Timestamp collected) {
    if (present(userId)) {
      if (before(users.get(key.hmac(userId)), collected)) {
        return true;
      }
    } else if (present(domainUserid) && before(devices.get(key.hmac(domainUserid)), collected)) {
      return true;
    }
    return before(legacy(userId), collected) || before(legacy(domainUserid), collected);
  }

  /** Whether a bad row, collected then, names an erased id anywhere in its payload ({@link PayloadIds}). */
  public boolean dropsBadRow(String payload, String encoding, Timestamp collected) {
    return PayloadIds.names(payload, encoding, value -> before(users.get(key.hmac(value)), collected)
        || before(devices.get(key.hmac(value)), collected)
        || before(legacy(value), collected));
  }

  /**
   * The events (columns {@code user_id}, {@code domain_userid}, {@code collector_tstamp}) without
   * those {@link #drops} drops; the events themselves when nothing was ever erased. The filter is a
   * function named {@code spoor_erased}, so no plan or log shows the ids.
   */
  public Dataset<Row> withoutErased(Dataset<Row> events) {
    return without(events, this::drops, "user_id", "domain_userid");
  }

  /**
   * The bad rows (columns {@code payload}, {@code payload_encoding}, {@code collector_tstamp}) without
   * those {@link #dropsBadRow} drops.
   */
  public Dataset<Row> withoutErasedBadRows(Dataset<Row> badRows) {
    return without(badRows, this::dropsBadRow, "payload", "payload_encoding");
  }

  /** The rows {@code drops} keeps, asked with the two columns and the collector time; all when nothing is erased. */
  private Dataset<Row> without(Dataset<Row> rows, UDF3<String, String, Timestamp, Boolean> drops, String first,
      String second) {
    if (isEmpty()) {
      return rows;
    }
    return rows.filter(not(udf(drops, DataTypes.BooleanType).withName("spoor_erased")
        .apply(col(first), col(second), col("collector_tstamp"))));
  }

  /** When the id was erased by the log of earlier versions (none for no id: the maps refuse null keys). */
  private Timestamp legacy(String id) {
    return legacySha256.isEmpty() || !present(id) ? null : legacySha256.get(sha256(id));
  }

  private static String sha256(String id) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(id.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static boolean present(String id) {
    return id != null && !id.isEmpty();
  }

  private static boolean before(Timestamp erasedAt, Timestamp collected) {
    return erasedAt != null && collected != null && !collected.after(erasedAt);
  }
}
