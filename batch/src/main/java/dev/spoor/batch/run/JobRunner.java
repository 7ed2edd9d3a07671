package dev.spoor.batch.run;

import dev.spoor.lake.IdempotentWrites;
import io.delta.tables.DeltaTable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a {@link BatchJob}: reads each input at its current Delta version (recorded, so the run can be
 * reproduced), computes, replaces the output table's contents in one Delta commit, and records the
 * run in {@code batch_runs}. The write carries the run id as Delta's idempotent transaction id, so a
 * run that is retried after its commit succeeded writes nothing a second time. Full recomputation
 * only, for now: the output is a function of the inputs, so re-running a run id over the same input
 * versions writes the same rows.
 */
public final class JobRunner {
  private final SparkSession spark;
  private final String lakeRoot;
  private final BatchRuns runs;

  public JobRunner(SparkSession spark, String lakeRoot) {
    this.spark = spark;
    this.lakeRoot = lakeRoot;
    this.runs = new BatchRuns(spark, lakeRoot);
  }

  /** Runs the job and returns the rows written; a failure is recorded and rethrown. */
  public long run(BatchJob job, RunOptions options) {
    Instant started = Instant.now();
    Map<String, Long> inputVersions = new LinkedHashMap<>();
    Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
    try {
      for (String input : job.inputs()) {
        String path = lakeRoot + "/" + input;
        long version = DeltaTable.forPath(spark, path).history(1).first().getLong(0);
        inputVersions.put(input, version);
        inputs.put(input, spark.read().format("delta").option("versionAsOf", version).load(path));
      }
      Dataset<Row> output = job.compute(inputs, options).persist();
      long rows = output.count();
      String outputPath = lakeRoot + "/" + job.output();
      IdempotentWrites.run(spark, "spoor-batch-" + job.name() + "-" + options.runId(), 0, () ->
          output.write().format("delta").mode("overwrite").option("overwriteSchema", "true")
              .partitionBy(job.partitionColumn()).save(outputPath));
      output.unpersist();
      long outputVersion = DeltaTable.forPath(spark, outputPath).history(1).first().getLong(0);
      runs.record(new BatchRuns.Run(options, "succeeded", started, Instant.now(), inputVersions,
          Map.of(job.output(), outputVersion), rows, null));
      return rows;
    } catch (RuntimeException e) {
      runs.record(new BatchRuns.Run(options, "failed", started, Instant.now(), inputVersions, Map.of(), 0,
          String.valueOf(e.getMessage())));
      throw e;
    }
  }
}
