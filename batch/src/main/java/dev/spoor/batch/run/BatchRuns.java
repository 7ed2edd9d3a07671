package dev.spoor.batch.run;

import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code batch_runs} Delta table: one row per job run with its run id, the versions of the input
 * tables it read, the versions it wrote, row counts, duration and status. It is how incremental runs
 * find what changed since their last success, and how an operator sees what produced a table.
 */
public final class BatchRuns {
  public static final String TABLE = "batch_runs";
  static final StructType SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType)
      .add("job", DataTypes.StringType)
      .add("status", DataTypes.StringType)
      .add("mode", DataTypes.StringType)
      .add("as_of", DataTypes.DateType)
      .add("started_at", DataTypes.TimestampType)
      .add("finished_at", DataTypes.TimestampType)
      .add("duration_ms", DataTypes.LongType)
      .add("input_versions", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
      .add("output_versions", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
      .add("rows_written", DataTypes.LongType)
      .add("error", DataTypes.StringType);

  private final SparkSession spark;
  private final String location;

  public BatchRuns(SparkSession spark, String lakeRoot) {
    this.spark = spark;
    this.location = lakeRoot + "/" + TABLE;
    DeltaTable.createIfNotExists(spark).location(location).addColumns(SCHEMA)
        .comment("One row per batch job run: inputs and outputs (Delta versions), rows, duration, status")
        .execute();
  }

  /** One finished run. */
  public record Run(RunOptions options, String status, Instant started, Instant finished,
      Map<String, Long> inputVersions, Map<String, Long> outputVersions, long rowsWritten, String error) {}

  public void record(Run run) {
    Row row = RowFactory.create(run.options().runId(), run.options().job(), run.status(),
        run.options().full() ? "full" : "incremental", java.sql.Date.valueOf(run.options().asOf()),
        Timestamp.from(run.started()), Timestamp.from(run.finished()),
        run.finished().toEpochMilli() - run.started().toEpochMilli(),
        run.inputVersions(), run.outputVersions(),
        run.rowsWritten(), run.error());
    spark.createDataFrame(List.of(row), SCHEMA).write().format("delta").mode("append").save(location);
  }

  public String location() {
    return location;
  }
}
