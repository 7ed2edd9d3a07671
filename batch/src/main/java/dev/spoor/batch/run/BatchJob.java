package dev.spoor.batch.run;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One batch job: a pure transformation from its input tables (read at pinned Delta versions) to its
 * output table. The runner does all I/O, so a job is tested on in-memory datasets.
 *
 * <p>Incremental runs work in terms of a <em>scope</em>: the values of {@link #scopeColumn()} (a user,
 * or an event id) whose output rows may have changed since the job's last successful run. The runner
 * finds them in the inputs' Delta change feeds ({@link #scopeOf}), gives {@link #compute} only the
 * input rows of that scope, and writes only the output rows that differ (matched on {@link #keyColumns()}).
 * A job is correct incrementally when its output rows for a scope value depend only on input rows with
 * the same scope value.
 */
public interface BatchJob {
  /** Prefix of an input read from the archive root ({@code spoor.lake.archive-root}), e.g. {@code archive:events}. */
  String ARCHIVE = "archive:";

  /**
   * Where a job reads and writes: its name, input tables, output table, the output's partition
   * column, the columns that identify an output row, and the output column incremental runs are
   * scoped by (empty: every run recomputes everything).
   */
  record Tables(String name, List<String> inputs, String output, Optional<String> partitionColumn,
      List<String> keyColumns, Optional<String> scopeColumn) {
    public Tables {
      inputs = List.copyOf(inputs);
      keyColumns = List.copyOf(keyColumns);
    }

    /** A per-user output: one row per {@code user_key}, unpartitioned, scoped by user. */
    public static Tables perUser(String name, List<String> inputs, String output) {
      return new Tables(name, inputs, output, Optional.empty(), List.of(UserKey.COLUMN), Optional.of(UserKey.COLUMN));
    }
  }

  Tables tables();

  default String name() {
    return tables().name();
  }

  /** Lake tables this job reads. */
  default List<String> inputs() {
    return tables().inputs();
  }

  /** The lake table this job writes. */
  default String output() {
    return tables().output();
  }

  /** Inputs that may not exist yet (then the job runs without them): none by default. */
  default java.util.Set<String> optionalInputs() {
    return java.util.Set.of();
  }

  default Optional<String> partitionColumn() {
    return tables().partitionColumn();
  }

  default List<String> keyColumns() {
    return tables().keyColumns();
  }

  default Optional<String> scopeColumn() {
    return tables().scopeColumn();
  }

  /** The scope value of a row of {@code input}: the user key when scoped by user, else the scope column. */
  default Column scopeOf(String input) {
    String scope = scopeColumn().orElseThrow();
    return scope.equals(UserKey.COLUMN) ? UserKey.of(input) : org.apache.spark.sql.functions.col(scope);
  }

  /**
   * What moving {@code --as-of} from {@code previous} to {@code current} adds to the scope: nothing by
   * default (the job does not read the date), {@link AsOfChange#everyone()} when every output row
   * depends on it, or the scope values of the rows that the move brings in.
   */
  default AsOfChange asOfChange(Map<String, Dataset<Row>> inputs, LocalDate previous, LocalDate current) {
    return AsOfChange.nothing();
  }

  Dataset<Row> compute(Map<String, Dataset<Row>> inputs, RunOptions options);

  /** The scope values {@link #asOfChange} adds: none, all, or these (one column of scope values). */
  record AsOfChange(boolean all, Dataset<Row> values) {
    public static AsOfChange nothing() {
      return new AsOfChange(false, null);
    }

    public static AsOfChange everyone() {
      return new AsOfChange(true, null);
    }

    public static AsOfChange of(Dataset<Row> values) {
      return new AsOfChange(false, values);
    }
  }
}
