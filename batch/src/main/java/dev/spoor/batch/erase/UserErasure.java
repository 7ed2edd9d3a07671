package dev.spoor.batch.erase;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import dev.spoor.lake.Erasures;
import dev.spoor.lake.LakeSettings;
import dev.spoor.lake.LakeTables;
import io.delta.tables.DeltaTable;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Removes one user's rows from every Delta table of the lake that holds them: raw and clean events
 * (by {@code user_id} or {@code domain_userid}), bad rows whose original payload carries the id (as a
 * JSON string or a tracker's {@code uid}/{@code duid} parameter), the events archive, and every
 * per-user batch table. Aggregates without a user ({@code funnel_daily}, the per-minute views) keep
 * their counts. Each table is one Delta DELETE (a new version); with {@code purge}, the files of older
 * versions that still hold the rows are vacuumed at once instead of after the retention period.
 *
 * <p>Every erasure is recorded in the {@code erasures} ({@link Erasures}) table by the SHA-256 of the user key (never
 * the key itself), with its time and counts: the lander drops events of an erased user that were
 * collected before that time if Kafka ever delivers them again, so an erasure is not undone.
 */
public final class UserErasure {
  /** The per-user tables the batch layer writes, keyed by {@code user_key}. */
  static final List<String> PER_USER_TABLES = List.of("sessions", "funnel_progress", "user_features", "user_scores",
      "user_segments");

  private final SparkSession spark;
  private final LakeSettings lake;

  public UserErasure(SparkSession spark, LakeSettings lake) {
    this.spark = spark;
    this.lake = lake;
  }

  /** A table to erase from: where it is and which of its rows are the user's. */
  record Target(String name, String location, Column rows) {}

  List<Target> targets(String userKey) {
    Column events = col("user_id").equalTo(lit(userKey)).or(col("domain_userid").equalTo(lit(userKey)));
    List<Target> targets = new ArrayList<>();
    targets.add(new Target(LakeTables.EVENTS, lake.table(LakeTables.EVENTS), events));
    targets.add(new Target("events_clean", lake.table("events_clean"), events));
    targets.add(new Target(LakeTables.BAD_EVENTS, lake.table(LakeTables.BAD_EVENTS), badRowsOf(userKey)));
    targets.add(new Target("archive/" + LakeTables.EVENTS, lake.archived(LakeTables.EVENTS), events));
    targets.add(new Target("archive/" + LakeTables.BAD_EVENTS, lake.archived(LakeTables.BAD_EVENTS), badRowsOf(userKey)));
    for (String table : PER_USER_TABLES) {
      targets.add(new Target(table, lake.table(table), col("user_key").equalTo(lit(userKey))));
    }
    return targets;
  }

  /** Bad rows whose payload (decoded when base64) names the user as a JSON string or a uid/duid parameter. */
  static Column badRowsOf(String userKey) {
    Column payload = expr("CASE WHEN payload_encoding = 'base64' THEN CAST(unbase64(payload) AS STRING) ELSE payload END");
    String quotedJson = "\"" + userKey.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    String parameter = "(^|[?&])(uid|duid)=" + Pattern.quote(java.net.URLEncoder.encode(userKey, StandardCharsets.UTF_8))
        + "(&|$)";
    return payload.contains(quotedJson).or(payload.rlike(parameter));
  }

  /** Deletes the user's rows everywhere; returns rows deleted per table that exists (0 when none matched). */
  public Map<String, Long> eraseFromLake(String userKey, boolean purge) {
    Map<String, Long> deleted = new LinkedHashMap<>();
    for (Target target : targets(userKey)) {
      if (!DeltaTable.isDeltaTable(spark, target.location())) {
        continue;
      }
      DeltaTable table = DeltaTable.forPath(spark, target.location());
      long rows = table.toDF().filter(target.rows()).count();
      if (rows > 0) {
        table.delete(target.rows());
        if (purge) {
          purge(table);
        }
      }
      deleted.put(target.name(), rows);
    }
    return deleted;
  }

  /**
   * Vacuums a table with no retention, so the files that held the deleted rows go now. Time travel to
   * earlier versions of this table, and change feeds across them, end here (incremental batch jobs
   * then recompute in full once).
   */
  private void purge(DeltaTable table) {
    String key = "spark.databricks.delta.retentionDurationCheck.enabled";
    String before = spark.conf().get(key, "true");
    spark.conf().set(key, "false");
    try {
      table.vacuum(0);
    } finally {
      spark.conf().set(key, before);
    }
  }

  /** Appends the erasure to {@code erasures} ({@link Erasures}): hash of the user key, time, counts, state erased. */
  public void record(String userKey, Instant at, Map<String, Long> deleted, boolean stateErased) {
    Row row = RowFactory.create(Erasures.hash(userKey), Timestamp.from(at), new LinkedHashMap<>(deleted),
        stateErased);
    spark.createDataFrame(List.of(row), Erasures.SCHEMA).write().format("delta").mode("append")
        .save(lake.table(Erasures.TABLE));
  }
}
