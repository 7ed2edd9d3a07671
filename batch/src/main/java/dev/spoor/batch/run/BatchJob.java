package dev.spoor.batch.run;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One batch job: a pure transformation from its input tables (read at pinned Delta versions) to its
 * output table, plus how the output is partitioned. The runner does all I/O, so a job is tested on
 * in-memory datasets.
 */
public interface BatchJob {
  String name();

  /** Lake tables this job reads. */
  List<String> inputs();

  /** The lake table this job writes. */
  String output();

  /** The output's partition column. */
  String partitionColumn();

  Dataset<Row> compute(Map<String, Dataset<Row>> inputs, RunOptions options);
}
