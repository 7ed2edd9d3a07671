package dev.spoor.batch.erase;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import dev.spoor.lake.DeltaTablesUnder;
import dev.spoor.lake.LakeSettings;
import dev.spoor.lake.LakeTables;
import dev.spoor.lake.TableLeases;
import dev.spoor.lake.erasure.PayloadIds;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;

/**
 * Removes one subject's rows from every Delta table of the lake that holds them: raw and clean events
 * and the events archive (the user's own events, and the anonymous events of the devices they were
 * seen on), bad rows whose payload names one of the ids ({@link PayloadIds}), every per-user batch
 * table, and any other table keyed by {@code user_key}. Aggregates without a user ({@code funnel_daily},
 * the per-minute views) keep their counts.
 *
 * <p>Each table is one Delta DELETE whose predicate is a named function holding the ids, so the
 * commit's recorded predicate ({@code DESCRIBE HISTORY}) names the function, never an id. The event
 * tables come last: the devices are looked up in them, so an erasure that stopped midway finds them
 * again when it is run again. With {@code purge}, each table is then vacuumed with no retention.
 */
public final class UserErasure {
  /** The per-user tables the batch layer writes, keyed by {@code user_key}. */
  private static final java.time.Duration LEASE_PATIENCE = java.time.Duration.ofMinutes(10);
  static final List<String> PER_USER_TABLES = List.of("sessions", "funnel_progress", "user_features", "user_scores",
      "user_segments");
  /** The tables of events, where a user's devices are found. */
  private static final List<String> EVENT_TABLES = List.of("events_clean", "archive/events", "events");

  private final SparkSession spark;
  private final LakeSettings lake;

  public UserErasure(SparkSession spark, LakeSettings lake) {
    this.spark = spark;
    this.lake = lake;
  }

  /**
   * Who is erased: user ids, and domain user ids (browsers, devices) whose anonymous events go with
   * them. Erasing a user id erases the devices it was seen with; erasing a device alone erases its
   * anonymous events and the rows keyed by it, not the events of users who logged in on it.
   */
  public record Subject(Set<String> users, Set<String> devices) {
    public Subject {
      users = Set.copyOf(users);
      devices = Set.copyOf(devices);
    }

    public Set<String> all() {
      Set<String> all = new HashSet<>(users);
      all.addAll(devices);
      return all;
    }
  }

  /** A table to erase from: where it is and which of its rows are the subject's. */
  record Target(String name, String location, Column rows) {}

  /** The user and every domain user id their events carry, in any event table. */
  public Subject ofUser(String userId) {
    Set<String> devices = new HashSet<>();
    for (String table : EVENT_TABLES) {
      String location = location(table);
      if (DeltaTable.isDeltaTable(spark, location)) {
        for (Row row : spark.read().format("delta").load(location).filter(col("user_id").equalTo(lit(userId)))
            .select("domain_userid").where(col("domain_userid").isNotNull()).distinct().collectAsList()) {
          devices.add(row.getString(0));
        }
      }
    }
    return new Subject(Set.of(userId), devices);
  }

  private String location(String table) {
    return table.startsWith("archive/") ? lake.archived(table.substring("archive/".length())) : lake.table(table);
  }

  List<Target> targets(Subject subject) {
    Set<String> users = subject.users();
    Set<String> devices = subject.devices();
    Set<String> keys = subject.all();
    UDF2<String, String, Boolean> isEvent = (user, device) -> user == null || user.isEmpty()
        ? device != null && devices.contains(device) : users.contains(user);
    Column events = udf(isEvent, DataTypes.BooleanType).withName("spoor_erasure_subject")
        .apply(col("user_id"), col("domain_userid"));
    UDF1<String, Boolean> isKey = keys::contains;
    Column perUser = udf(isKey, DataTypes.BooleanType).withName("spoor_erasure_subject").apply(col("user_key"));
    UDF2<String, String, Boolean> isBadRow = (payload, encoding) -> PayloadIds.names(payload, encoding, keys::contains);
    Column badRows = udf(isBadRow, DataTypes.BooleanType).withName("spoor_erasure_subject")
        .apply(col("payload"), col("payload_encoding"));
    List<Target> targets = new ArrayList<>();
    for (String table : PER_USER_TABLES) {
      targets.add(new Target(table, lake.table(table), perUser));
    }
    for (String table : otherTablesOfUsers()) {
      targets.add(new Target(table, lake.table(table), perUser));
    }
    targets.add(new Target(LakeTables.BAD_EVENTS, lake.table(LakeTables.BAD_EVENTS), badRows));
    targets.add(new Target("archive/" + LakeTables.BAD_EVENTS, lake.archived(LakeTables.BAD_EVENTS), badRows));
    for (String table : EVENT_TABLES) {
      targets.add(new Target(table, location(table), events));
    }
    return targets;
  }

  /**
   * Any other table of the lake keyed by user ({@code user_key}): a continuous view grouped by user,
   * say, or a table of a later job. Found by its columns, so a new one is never forgotten.
   */
  private List<String> otherTablesOfUsers() {
    return DeltaTablesUnder.names(spark, lake.lakeRoot()).stream()
        .filter(name -> !PER_USER_TABLES.contains(name))
        .filter(name -> List.of(spark.read().format("delta").load(lake.table(name)).schema().fieldNames())
            .contains("user_key"))
        .toList();
  }

  /**
   * Deletes the subject's rows from the per-user tables and bad rows ({@code events} false) or from
   * the event tables ({@code events} true, last: the subject's devices are found there); returns rows
   * deleted per table that exists (0 when none matched). With {@code purge}, every such table is
   * purged, also one that held nothing now (an earlier erasure without purge left the rows in its
   * older versions).
   */
  public Map<String, Long> eraseFromLake(Subject subject, boolean purge, boolean events) {
    Map<String, Long> deleted = new LinkedHashMap<>();
    for (Target target : targets(subject)) {
      if (EVENT_TABLES.contains(target.name()) != events || !DeltaTable.isDeltaTable(spark, target.location())) {
        continue;
      }
      // On S3, no other writer of the table meanwhile (a continuous lander holds the event tables).
      try (TableLeases lease = TableLeases.acquire(spark, List.of(target.location()), "erasure", LEASE_PATIENCE)) {
        DeltaTable table = DeltaTable.forPath(spark, target.location());
        long rows = table.toDF().filter(target.rows()).count();
        if (rows > 0) {
          table.delete(target.rows());
        }
        if (purge) {
          purge(table);
        }
        deleted.put(target.name(), rows);
      }
    }
    return deleted;
  }

  /**
   * Vacuums a table with no retention: the data files of older versions and the change data files
   * that held the deleted rows go now. Time travel and change feeds to before the erasure end here
   * (the incremental batch jobs then recompute in full once). The transaction log holds no id to
   * begin with ({@link dev.spoor.lake.TableStatistics}; the DELETE's recorded predicate is a function's
   * name).
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
}
