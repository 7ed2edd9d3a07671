package dev.spoor.ingest.lander.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.spoor.lake.DeltaTablesUnder;
import dev.spoor.lake.LakeSettings;
import dev.spoor.lake.LakeTables;
import dev.spoor.lake.TableLeases;
import dev.spoor.lake.TableStatistics;
import io.delta.tables.DeltaTable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import scala.Option;

/**
 * Keeps the lake healthy: {@link #compact} (OPTIMIZE: small files into large ones; not Z-ordered by
 * user, as no table keeps statistics of user ids, see {@code TableStatistics}), {@link #vacuum} (every
 * table: delete files and log entries no version within the retention needs), and {@link #archive}
 * (move old {@code events} partitions to cold storage, proving by per-day counts that every row is in
 * the archive before deleting it from the hot table). Each step is safe to re-run.
 */
public final class LakeMaintenance {
  private static final java.time.Duration LEASE_PATIENCE = java.time.Duration.ofMinutes(10);

  private final SparkSession spark;
  private final LakeSettings settings;

  public LakeMaintenance(SparkSession spark, LakeSettings settings) {
    this.spark = spark;
    this.settings = settings;
  }

  /** On S3, maintenance writes a table only when no other writer does (TableLeases). */
  private TableLeases lease(String... tables) {
    return TableLeases.acquire(spark, List.of(tables), "lake maintenance", LEASE_PATIENCE);
  }

  public void compact() {
    for (String table : List.of(LakeTables.EVENTS, LakeTables.BAD_EVENTS)) {
      try (TableLeases lease = lease(settings.table(table))) {
        DeltaTable.forPath(spark, settings.table(table)).optimize().executeCompaction();
      }
    }
  }

  /**
   * Vacuums every Delta table of the lake and of the archive (any of them can hold a user's rows):
   * deletes the data and change data files no version within the retention needs, and the log
   * entries older than the retention (Delta's own log clean-up, run at a checkpoint written now, with
   * the table's {@code delta.logRetentionDuration} set to the same retention). After an erasure, no
   * file of a vacuumed table names the user once the retention has passed. Returns the tables.
   */
  public List<String> vacuum() {
    double hours = settings.vacuumRetention().toMinutes() / 60.0;
    String retention = "interval " + settings.vacuumRetention().toMinutes() + " minutes";
    List<String> tables = tables();
    for (String location : tables) {
      try (TableLeases lease = lease(location)) {
        vacuum(location, hours, retention);
      }
    }
    return tables;
  }

  private void vacuum(String location, double hours, String retention) {
    DeltaTable table = DeltaTable.forPath(spark, location);
    table.vacuum(hours);
    if (!retention.equals(table.detail().select("properties").first().getMap(0).get("delta.logRetentionDuration"))) {
      spark.sql("ALTER TABLE delta.`" + location.replace("`", "``") + "` SET TBLPROPERTIES "
          + "('delta.logRetentionDuration' = '" + retention + "')");
    }
    DeltaLog log = DeltaLog.forTable(spark, location);
    log.checkpointAndCleanUpDeltaLog(log.update(false, Option.empty(), Option.empty()), Option.empty());
  }

  /** The Delta tables directly under the lake root and the archive root. */
  List<String> tables() {
    List<String> tables = new ArrayList<>();
    for (String root : List.of(settings.lakeRoot(), settings.archiveRoot())) {
      DeltaTablesUnder.names(spark, root).forEach(name -> tables.add(root + "/" + name));
    }
    return tables;
  }

  /** What an archive run moved: rows per event date. */
  public record Archived(Map<LocalDate, Long> rowsByDate) {
    public long total() {
      return rowsByDate.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Moves the {@code events} partitions older than {@code today − olderThanDays} to the archive
   * (a Delta table of zstd-compressed Parquet, partitioned the same way), verifies that the archive
   * holds exactly as many rows per date as the hot table, and only then deletes them from the hot
   * table. A run interrupted before the delete is simply run again: the archive's partitions are
   * replaced, not appended to.
   */
  public Archived archive(int olderThanDays, LocalDate today) {
    try (TableLeases lease = lease(settings.table(LakeTables.EVENTS), settings.archived(LakeTables.EVENTS))) {
      return archiveHolding(olderThanDays, today);
    }
  }

  private Archived archiveHolding(int olderThanDays, LocalDate today) {
    LocalDate cutoff = today.minusDays(olderThanDays);
    String hotPath = settings.table(LakeTables.EVENTS);
    String archivePath = settings.archived(LakeTables.EVENTS);
    Dataset<Row> old = spark.read().format("delta").load(hotPath).filter(col("event_date").lt(lit(Date.valueOf(cutoff))));
    Map<LocalDate, Long> hotCounts = countsByDate(old);
    if (hotCounts.isEmpty()) {
      return new Archived(Map.of());
    }
    TableStatistics.ensure(spark, archivePath, old.schema(), LakeTables.EVENTS_SAFE_STRINGS,
        java.util.Optional.of("event_date"));
    String dates = hotCounts.keySet().stream().map(d -> "DATE '" + d + "'").collect(Collectors.joining(", "));
    String previousCodec = spark.conf().get("spark.sql.parquet.compression.codec");
    spark.conf().set("spark.sql.parquet.compression.codec", "zstd");
    try {
      old.write().format("delta").mode("overwrite")
          .option("replaceWhere", "event_date IN (" + dates + ")")
          .partitionBy("event_date")
          .save(archivePath);
    } finally {
      spark.conf().set("spark.sql.parquet.compression.codec", previousCodec);
    }
    Map<LocalDate, Long> archivedCounts = countsByDate(spark.read().format("delta").load(archivePath)
        .filter("event_date IN (" + dates + ")"));
    if (!archivedCounts.equals(hotCounts)) {
      throw new IllegalStateException("archive verification failed, nothing deleted from the hot table: hot "
          + hotCounts + " but archive " + archivedCounts);
    }
    DeltaTable.forPath(spark, hotPath).delete("event_date IN (" + dates + ")");
    return new Archived(hotCounts);
  }

  private static Map<LocalDate, Long> countsByDate(Dataset<Row> rows) {
    List<Row> counts = rows.groupBy("event_date").count().collectAsList();
    Map<LocalDate, Long> result = new TreeMap<>();
    for (Row row : counts) {
      result.put(row.getDate(0).toLocalDate(), row.getLong(1));
    }
    return result;
  }
}
