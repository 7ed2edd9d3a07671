package dev.spoor.batch.run;

import static org.apache.spark.sql.functions.col;

import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * What changed in a Delta table between two versions, from Delta's change data feed (every lake table
 * Spoor creates has it enabled). Inserted, deleted and updated rows all count: a row that went away
 * changes its scope as much as a new one.
 */
public final class ChangedRows {
  private ChangedRows() {}

  /** The scope values, materialised, or why the feed could not give them. */
  public record Result(Optional<Dataset<Row>> values, String unavailableBecause) {}

  /**
   * The distinct scope values (column {@code _scope}) of rows changed after {@code sinceVersion} up to
   * {@code toVersion} (which must be later), or empty when the feed does not cover that range (the
   * feed was enabled later, or its files were vacuumed): the caller then recomputes everything.
   */
  public static Result scopeValues(SparkSession spark, String path, long sinceVersion, long toVersion,
      Column scope) {
    try {
      Dataset<Row> values = spark.read().format("delta")
          .option("readChangeFeed", "true")
          .option("startingVersion", sinceVersion + 1)
          .option("endingVersion", toVersion)
          .load(path)
          .select(scope.as("_scope"))
          .filter(col("_scope").isNotNull())
          .distinct()
          .persist(StorageLevel.MEMORY_AND_DISK());
      values.count(); // reading the feed fails here, not later in the middle of a write
      return new Result(Optional.of(values), null);
    } catch (Exception e) {
      // Any failure to read the feed means "cannot tell what changed": recomputing everything is
      // always correct, so that is the answer, with the reason in the job's log. (Delta reports a
      // range without change data as an AnalysisException, which Java sees as checked.)
      return new Result(Optional.empty(), String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
  }
}
