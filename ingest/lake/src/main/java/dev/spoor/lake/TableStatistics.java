package dev.spoor.lake;

import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Which columns Delta keeps min/max statistics for ({@value #KEY}): never one that can hold a person's
 * id. Statistics live in the transaction log, in every {@code add} action of a file and in the
 * checkpoints, where a DELETE does not reach: a user's id as a file's minimum or maximum would outlive
 * their erasure by the log's whole retention. So statistics cover numbers, dates and times, and only
 * the string columns a table names as safe (event ids, event names); data skipping on user ids is
 * given up (each file spans many users, so their min/max skipped little anyway; partitions and times
 * still skip).
 */
public final class TableStatistics {
  public static final String KEY = "delta.dataSkippingStatsColumns";

  private TableStatistics() {}

  /** The columns of {@code schema} that get statistics: numbers, dates, times and {@code safeStrings}. */
  static String columns(StructType schema, Set<String> safeStrings, Optional<String> partition) {
    return Arrays.stream(schema.fields())
        .filter(f -> partition.map(p -> !p.equals(f.name())).orElse(true))
        .filter(f -> safeStrings.contains(f.name()) || idFree(f.dataType()))
        .map(StructField::name).collect(Collectors.joining(","));
  }

  private static boolean idFree(DataType type) {
    return type instanceof NumericType || type instanceof DateType || type instanceof TimestampType;
  }

  /** The table builder's statistics setting for {@code schema}. */
  public static DeltaTableBuilder on(DeltaTableBuilder builder, StructType schema, Set<String> safeStrings,
      Optional<String> partition) {
    return builder.property(KEY, columns(schema, safeStrings, partition));
  }

  /**
   * Makes the table at {@code location} keep statistics of id-free columns only, before {@code schema}
   * is written to it: creates it (empty, with that setting) when missing, else sets the columns the
   * table and {@code schema} share when its setting differs (one commit, once).
   */
  public static void ensure(SparkSession spark, String location, StructType schema, Set<String> safeStrings,
      Optional<String> partition) {
    if (!DeltaTable.isDeltaTable(spark, location)) {
      DeltaTableBuilder builder = DeltaTable.createIfNotExists(spark).location(location).addColumns(schema);
      partition.ifPresent(builder::partitionedBy);
      on(builder, schema, safeStrings, partition).execute();
      return;
    }
    DeltaTable table = DeltaTable.forPath(spark, location);
    Set<String> present = Set.of(table.toDF().schema().fieldNames());
    StructType shared = new StructType(Arrays.stream(schema.fields()).filter(f -> present.contains(f.name()))
        .toArray(StructField[]::new));
    ensure(spark, location, columns(shared, safeStrings, partition));
  }

  /** Sets the statistics columns of the existing table at {@code location} to {@code wanted}, unless they are. */
  public static void ensure(SparkSession spark, String location, String wanted) {
    String current = DeltaTable.forPath(spark, location).detail().select("properties").first()
        .<String, String>getJavaMap(0).get(KEY);
    if (!wanted.equals(current)) {
      spark.sql("ALTER TABLE delta.`" + location.replace("`", "``") + "` SET TBLPROPERTIES ('" + KEY + "' = '"
          + wanted + "')");
    }
  }
}
