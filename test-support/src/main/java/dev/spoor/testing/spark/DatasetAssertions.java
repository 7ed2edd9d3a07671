package dev.spoor.testing.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Assertions on Spark datasets: same rows regardless of order (a multiset comparison, so duplicates
 * count), and schema checks that name the column that differs. Meant for the tiny datasets of unit
 * tests: everything is collected to the driver.
 */
public final class DatasetAssertions {
  private DatasetAssertions() {}

  /** Same columns (by name, in order) and the same rows, with multiplicity, in any order. */
  public static void assertSameRows(Dataset<Row> actual, Dataset<Row> expected) {
    assertThat(actual.columns()).as("columns").containsExactly(expected.columns());
    assertThat(rows(actual)).as("rows, in any order").containsExactlyInAnyOrderElementsOf(rows(expected));
  }

  /** The dataset holds exactly these rows (lists of values, nulls allowed), with multiplicity, in any order. */
  public static void assertRowsEqual(Dataset<Row> actual, List<? extends List<?>> expected) {
    assertThat(rows(actual)).as("rows of " + String.join(", ", actual.columns()) + ", in any order")
        .containsExactlyInAnyOrderElementsOf(expected.stream().map(r -> (List<Object>) new java.util.ArrayList<Object>(r)).toList());
  }

  /** Rows as lists of values (Row equality is positional; lists print readably in a failure). */
  public static List<List<Object>> rows(Dataset<Row> dataset) {
    return dataset.collectAsList().stream()
        .map(row -> Arrays.asList(toArray(row)))
        .collect(Collectors.toList());
  }

  private static Object[] toArray(Row row) {
    Object[] values = new Object[row.length()];
    for (int i = 0; i < row.length(); i++) {
      values[i] = row.get(i);
    }
    return values;
  }

  /** The dataset has exactly these columns with these types (nullability is not compared). */
  public static void assertSchema(Dataset<Row> actual, StructType expected) {
    assertThat(Arrays.stream(actual.schema().fields()).map(DatasetAssertions::describe).toList())
        .as("schema")
        .containsExactlyElementsOf(Arrays.stream(expected.fields()).map(DatasetAssertions::describe).toList());
  }

  private static String describe(StructField field) {
    return field.name() + " " + field.dataType().simpleString();
  }
}
