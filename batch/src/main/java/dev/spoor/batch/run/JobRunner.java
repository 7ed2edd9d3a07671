package dev.spoor.batch.run;

import static org.apache.spark.sql.functions.col;

import dev.spoor.fault.Failpoints;
import dev.spoor.lake.IdempotentWrites;
import dev.spoor.lake.LakeTables;
import dev.spoor.lake.TableLeases;
import dev.spoor.lake.TableStatistics;
import io.delta.tables.DeltaTable;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a {@link BatchJob}. Inputs are read at pinned Delta versions (recorded, so the run can be
 * reproduced). Then, by mode:
 * <ul>
 *   <li><b>full</b> ({@code --full}, or no output yet): the output is recomputed and replaced in one commit;
 *   <li><b>incremental</b> (the default): the scope values changed in each input since the job's last
 *       successful run (Delta change feed between the recorded version and now) plus what a new
 *       {@code --as-of} brings in; only that scope is recomputed and only differing rows are merged;
 *   <li><b>all</b>: incremental was not possible (no scope, feed unavailable, every row depends on the
 *       date): everything is recomputed but still only differing rows are merged.
 * </ul>
 * Every write carries the run id as Delta's idempotent transaction id, and a run id that already
 * succeeded is not run again, so re-running a run id leaves every table as it is. Each run is recorded
 * in {@code batch_runs}, a failure too.
 */
public final class JobRunner {
  private final SparkSession spark;
  private static final java.time.Duration LEASE_PATIENCE = java.time.Duration.ofMinutes(30);

  private final String lakeRoot;
  private final String archiveRoot;
  private final BatchRuns runs;
  private final PrintStream log;

  public JobRunner(SparkSession spark, String lakeRoot) {
    this(spark, lakeRoot, System.out);
  }

  public JobRunner(SparkSession spark, String lakeRoot, PrintStream log) {
    this(spark, lakeRoot, lakeRoot + "/_archive", log);
  }

  /** A runner whose inputs named {@code archive:TABLE} are read under {@code archiveRoot}. */
  public JobRunner(SparkSession spark, String lakeRoot, String archiveRoot, PrintStream log) {
    this.spark = spark;
    this.lakeRoot = lakeRoot;
    this.archiveRoot = archiveRoot;
    this.runs = new BatchRuns(spark, lakeRoot);
    this.log = log;
  }

  /** Where an input lives: {@code archive:events} under the archive root, anything else under the lake root. */
  private String path(String input) {
    return input.startsWith(BatchJob.ARCHIVE) ? archiveRoot + "/" + input.substring(BatchJob.ARCHIVE.length())
        : lakeRoot + "/" + input;
  }

  /** How a run went: its mode, how many scope values it recomputed, and what it changed. */
  public record Outcome(String status, String mode, long scopeSize, long rows, DiffMerge.Changes changes) {}

  /**
   * Runs the job; a failure is recorded and rethrown. On a lake that allows one writer per table (S3)
   * the job holds its output for the whole run, waiting up to {@link #LEASE_PATIENCE} for another writer.
   */
  public Outcome run(BatchJob job, RunOptions options) {
    try (TableLeases lease = TableLeases.acquire(spark, List.of(lakeRoot + "/" + job.output()), "batch job " + job.name(),
        LEASE_PATIENCE)) {
      return runHolding(job, options);
    }
  }

  private Outcome runHolding(BatchJob job, RunOptions options) {
    Instant started = Instant.now();
    Optional<BatchRuns.Previous> same = runs.succeeded(job.name(), options.runId());
    if (same.isPresent()) {
      log.printf("%s: run %s already succeeded (see batch_runs); nothing to do%n", job.name(), options.runId());
      return new Outcome("already-succeeded", same.get().mode(), 0, 0, new DiffMerge.Changes(0, 0, 0));
    }
    Map<String, Long> inputVersions = new LinkedHashMap<>();
    Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
    try {
      for (String input : job.inputs()) {
        String path = path(input);
        if (job.optionalInputs().contains(input) && !DeltaTable.isDeltaTable(spark, path)) {
          continue; // not there yet (nothing archived so far): nothing to read
        }
        long version = version(path);
        inputVersions.put(input, version);
        inputs.put(input, spark.read().format("delta").option("versionAsOf", version).load(path));
      }
      String outputPath = lakeRoot + "/" + job.output();
      boolean outputExists = DeltaTable.isDeltaTable(spark, outputPath);
      if (outputExists) { // a table of an earlier version may still keep statistics of ids
        TableStatistics.ensure(spark, outputPath, spark.read().format("delta").load(outputPath).schema(), Set.of(),
            job.partitionColumn());
      }
      long outputBefore = outputExists ? version(outputPath) : -1;
      Scope scope = options.full() || !outputExists
          ? Scope.full(options.full() ? "--full" : "no output yet")
          : scope(job, inputs, inputVersions, options);
      log.printf("%s: %s (%s)%n", job.name(), scope.mode(), scope.reason());
      String appId = "spoor-batch-" + job.name() + "-" + options.runId();
      Outcome outcome;
      if (scope.mode().equals("full")) {
        Dataset<Row> output = job.compute(inputs, options).persist();
        long rows = output.count();
        if (!outputExists) {
          TableStatistics.ensure(spark, outputPath, output.schema(), Set.of(), job.partitionColumn());
        }
        IdempotentWrites.run(spark, appId, 0, () -> {
          var writer = output.write().format("delta").mode("overwrite").option("overwriteSchema", "true");
          job.partitionColumn().ifPresent(writer::partitionBy);
          writer.save(outputPath);
        });
        output.unpersist();
        outcome = new Outcome("succeeded", "full", -1, rows, new DiffMerge.Changes(rows, 0, 0));
      } else {
        outcome = merge(job, options, inputs, scope, outputPath, appId);
      }
      Failpoints.hit(job.name() + ".after-commit");
      LakeTables.ensureTransactionRetention(spark, outputPath);
      long outputAfter = version(outputPath);
      if (outcome.changes().total() > 0 && outputAfter == outputBefore) {
        // Delta skipped the write: this run id committed before its run was recorded (a crash in between).
        outcome = new Outcome("already-committed", outcome.mode(), outcome.scopeSize(), 0, outcome.changes());
      }
      runs.record(new BatchRuns.Run(options, outcome.status(), outcome.mode(), started, Instant.now(), inputVersions,
          Map.of(job.output(), outputAfter), outcome.rows(), outcome.scopeSize(), outcome.changes(), null));
      scope.release();
      return outcome;
    } catch (RuntimeException e) {
      runs.record(new BatchRuns.Run(options, "failed", options.full() ? "full" : "incremental", started, Instant.now(),
          inputVersions, Map.of(), 0, -1, new DiffMerge.Changes(0, 0, 0), String.valueOf(e.getMessage())));
      throw e;
    }
  }

  private Outcome merge(BatchJob job, RunOptions options, Map<String, Dataset<Row>> inputs, Scope scope,
      String outputPath, String appId) {
    Dataset<Row> current = spark.read().format("delta").load(outputPath);
    Map<String, Dataset<Row>> scoped = inputs;
    long scopeSize = -1;
    if (scope.values() != null) {
      scopeSize = scope.values().count();
      if (scopeSize == 0) {
        return new Outcome("succeeded", "incremental", 0, 0, new DiffMerge.Changes(0, 0, 0));
      }
      scoped = new LinkedHashMap<>();
      for (var input : inputs.entrySet()) {
        scoped.put(input.getKey(), input.getValue().join(scope.values(),
            job.scopeOf(input.getKey()).equalTo(scope.values().col("_scope")), "left_semi"));
      }
      String scopeColumn = job.scopeColumn().orElseThrow();
      current = current.join(scope.values(), current.col(scopeColumn).equalTo(scope.values().col("_scope")), "left_semi");
    }
    Dataset<Row> fresh = job.compute(scoped, options);
    DiffMerge.Changes[] changes = new DiffMerge.Changes[1];
    Dataset<Row> target = current;
    IdempotentWrites.run(spark, appId, 0, () ->
        changes[0] = DiffMerge.apply(spark, outputPath, target, fresh, job.keyColumns()));
    return new Outcome("succeeded", scope.mode(), scopeSize, changes[0].total(), changes[0]);
  }

  /** The scope of an incremental run, or "all" with the reason it cannot be narrowed. */
  private Scope scope(BatchJob job, Map<String, Dataset<Row>> inputs, Map<String, Long> versions, RunOptions options) {
    if (job.scopeColumn().isEmpty()) {
      return Scope.all("the job has no scope: recomputed, only differences written");
    }
    Optional<BatchRuns.Previous> last = runs.lastSucceeded(job.name());
    if (last.isEmpty()) {
      return Scope.all("no earlier successful run");
    }
    Dataset<Row> values = null;
    for (String input : versions.keySet()) {
      Long since = last.get().inputVersions().get(input);
      if (since == null) {
        return Scope.all("input " + input + " is new to this job");
      }
      long now = versions.get(input);
      if (now < since) {
        return Scope.all("input " + input + " is older than at the last run (version " + now + " < " + since + ")");
      }
      if (now == since) {
        continue;
      }
      ChangedRows.Result changed = ChangedRows.scopeValues(spark, path(input), since, now, job.scopeOf(input));
      if (changed.values().isEmpty()) {
        return Scope.all("change feed of " + input + " unavailable: " + changed.unavailableBecause());
      }
      values = values == null ? changed.values().get() : values.union(changed.values().get());
    }
    if (!last.get().asOf().equals(options.asOf())) {
      BatchJob.AsOfChange change = job.asOfChange(inputs, last.get().asOf(), options.asOf());
      if (change.all()) {
        return Scope.all("--as-of moved from " + last.get().asOf() + " to " + options.asOf()
            + " and every row depends on it");
      }
      if (change.values() != null) {
        Dataset<Row> added = change.values().select(col(change.values().columns()[0]).as("_scope"));
        values = values == null ? added : values.union(added);
      }
    }
    if (values == null) {
      return Scope.incremental(spark.emptyDataFrame().selectExpr("CAST(NULL AS STRING) AS _scope").limit(0),
          "inputs unchanged since run " + last.get().runId());
    }
    return Scope.incremental(values.distinct().persist(), "changes since run " + last.get().runId());
  }

  private long version(String path) {
    return DeltaTable.forPath(spark, path).history(1).first().getLong(0);
  }

  /** What a run recomputes: everything (full, all) or the rows of these scope values. */
  private record Scope(String mode, Dataset<Row> values, String reason) {
    static Scope full(String reason) {
      return new Scope("full", null, reason);
    }

    static Scope all(String reason) {
      return new Scope("all", null, reason);
    }

    static Scope incremental(Dataset<Row> values, String reason) {
      return new Scope("incremental", values, reason);
    }

    void release() {
      if (values != null) {
        values.unpersist();
      }
    }
  }
}
