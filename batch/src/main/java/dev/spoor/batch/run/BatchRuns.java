package dev.spoor.batch.run;

import static org.apache.spark.sql.functions.col;

import dev.spoor.lake.TableLeases;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The {@code batch_runs} Delta table: one row per job run with its run id, mode, the versions of the
 * input tables it read, the versions it wrote, the scope it recomputed, the rows it changed, duration
 * and status. It is how incremental runs find what changed since their last success, and how an
 * operator sees what produced a table.
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
      .add("error", DataTypes.StringType)
      .add("scope_size", DataTypes.LongType)
      .add("rows_inserted", DataTypes.LongType)
      .add("rows_updated", DataTypes.LongType)
      .add("rows_deleted", DataTypes.LongType);

  private static final java.time.Duration LEASE_PATIENCE = java.time.Duration.ofMinutes(10);

  private final SparkSession spark;
  private final String location;

  public BatchRuns(SparkSession spark, String lakeRoot) {
    this.spark = spark;
    this.location = lakeRoot + "/" + TABLE;
    try (TableLeases lease = lease()) {
      DeltaTable.createIfNotExists(spark).location(location).addColumns(SCHEMA)
          .comment("One row per batch job run: inputs and outputs (Delta versions), rows, duration, status")
          .execute();
    }
  }

  /** Every job writes the run log: on S3 one at a time, each for the moment of its append (TableLeases). */
  private TableLeases lease() {
    return TableLeases.acquire(spark, List.of(location), "the run log of a batch job", LEASE_PATIENCE);
  }

  /** One finished run. {@code scopeSize} is −1 when the run recomputed everything. */
  public record Run(RunOptions options, String status, String mode, Instant started, Instant finished,
      Map<String, Long> inputVersions, Map<String, Long> outputVersions, long rowsWritten, long scopeSize,
      DiffMerge.Changes changes, String error) {}

  /** What an incremental run needs of an earlier successful one. */
  public record Previous(String runId, String mode, LocalDate asOf, Map<String, Long> inputVersions) {}

  public void record(Run run) {
    Row row = RowFactory.create(run.options().runId(), run.options().job(), run.status(), run.mode(),
        java.sql.Date.valueOf(run.options().asOf()),
        Timestamp.from(run.started()), Timestamp.from(run.finished()),
        run.finished().toEpochMilli() - run.started().toEpochMilli(),
        run.inputVersions(), run.outputVersions(), run.rowsWritten(), run.error(),
        run.scopeSize() < 0 ? null : run.scopeSize(),
        run.changes().inserted(), run.changes().updated(), run.changes().deleted());
    try (TableLeases lease = lease()) {
      spark.createDataFrame(List.of(row), SCHEMA).write().format("delta").mode("append")
          .option("mergeSchema", "true").save(location);
    }
  }

  /** The job's latest successful run. */
  public Optional<Previous> lastSucceeded(String job) {
    return latest(col("job").equalTo(job).and(col("status").equalTo("succeeded")));
  }

  /** The successful run of this job with this run id, if there is one. */
  public Optional<Previous> succeeded(String job, String runId) {
    return latest(col("job").equalTo(job).and(col("run_id").equalTo(runId))
        .and(col("status").isin("succeeded", "already-committed")));
  }

  private Optional<Previous> latest(org.apache.spark.sql.Column condition) {
    List<Row> rows = spark.read().format("delta").load(location).filter(condition)
        .orderBy(col("finished_at").desc()).limit(1).collectAsList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Row row = rows.get(0);
    Map<String, Long> versions = new HashMap<>();
    scala.collection.Map<String, Object> map = row.getAs("input_versions");
    CollectionConverters.asJava(map).forEach((k, v) -> versions.put(k, ((Number) v).longValue()));
    return Optional.of(new Previous(row.getAs("run_id"), row.getAs("mode"),
        row.<java.sql.Date>getAs("as_of").toLocalDate(), versions));
  }

  public String location() {
    return location;
  }
}
