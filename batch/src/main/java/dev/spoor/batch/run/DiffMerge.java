package dev.spoor.batch.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import io.delta.tables.DeltaTable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Brings part of a Delta table to new contents by writing only the rows that differ: given the
 * table's current rows in a scope and the freshly computed rows for the same scope, rows are matched on
 * their key; new keys are inserted, vanished keys deleted, and rows whose values changed updated, all
 * in one MERGE (one commit). Unchanged rows are not touched, so the table's change feed (what the next
 * job reads) holds exactly what changed.
 */
public final class DiffMerge {
  private DiffMerge() {}

  /** What a merge changed. */
  public record Changes(long inserted, long updated, long deleted) {
    public long total() {
      return inserted + updated + deleted;
    }
  }

  /** The changed rows as a MERGE source: {@code _op} (insert, update, delete), {@code _k_<key>}, and the new row's columns. */
  static Dataset<Row> changes(Dataset<Row> current, Dataset<Row> fresh, List<String> keys) {
    String[] columns = fresh.columns();
    Column[] currentSide = withKeys(keys, struct(Arrays.stream(columns).map(current::col).toArray(Column[]::new)), current, "_old");
    Column[] freshSide = withKeys(keys, struct(Arrays.stream(columns).map(fresh::col).toArray(Column[]::new)), fresh, "_new");
    String[] keyNames = keys.stream().map(k -> "_k_" + k).toArray(String[]::new);
    Dataset<Row> joined = current.select(currentSide).join(fresh.select(freshSide), keyNames, "full_outer");
    // Rows are compared through their JSON text: maps (events per name, funnel levels) have no equality in Spark SQL.
    Column same = sha2(to_json(col("_old")), 256).eqNullSafe(sha2(to_json(col("_new")), 256));
    Column op = when(col("_new").isNull(), lit("delete")).when(col("_old").isNull(), lit("insert")).otherwise(lit("update"));
    Column[] out = new Column[1 + keyNames.length + columns.length];
    out[0] = op.as("_op");
    for (int i = 0; i < keyNames.length; i++) {
      out[1 + i] = col(keyNames[i]);
    }
    for (int i = 0; i < columns.length; i++) {
      out[1 + keyNames.length + i] = col("_new." + quoted(columns[i])).as(columns[i]);
    }
    return joined.filter(same.unary_$bang()).select(out);
  }

  private static Column[] withKeys(List<String> keys, Column row, Dataset<Row> side, String name) {
    Column[] out = new Column[keys.size() + 1];
    for (int i = 0; i < keys.size(); i++) {
      out[i] = side.col(keys.get(i)).as("_k_" + keys.get(i));
    }
    out[keys.size()] = row.as(name);
    return out;
  }

  /** Merges the differences between {@code current} (the table's rows in scope) and {@code fresh} into the table. */
  public static Changes apply(SparkSession spark, String path, Dataset<Row> current, Dataset<Row> fresh, List<String> keys) {
    Dataset<Row> changes = changes(current, fresh, keys).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<String, Long> byOp = changes.groupBy("_op").count().collectAsList().stream()
          .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
      Changes counts = new Changes(byOp.getOrDefault("insert", 0L), byOp.getOrDefault("update", 0L),
          byOp.getOrDefault("delete", 0L));
      if (counts.total() == 0) {
        return counts;
      }
      String on = keys.stream().map(k -> "t." + quoted(k) + " <=> s._k_" + k).collect(Collectors.joining(" AND "));
      Map<String, String> assignments = new LinkedHashMap<>();
      for (String column : fresh.columns()) {
        assignments.put(quoted(column), "s." + quoted(column));
      }
      DeltaTable.forPath(spark, path).as("t")
          .merge(changes.as("s"), on)
          .whenMatched("s._op = 'delete'").delete()
          .whenMatched("s._op = 'update'").updateExpr(assignments)
          .whenNotMatched("s._op = 'insert'").insertExpr(assignments)
          .execute();
      return counts;
    } finally {
      changes.unpersist();
    }
  }

  private static String quoted(String column) {
    return "`" + column + "`";
  }
}
