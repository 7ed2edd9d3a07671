package dev.spoor.stack.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting scripts into statements, and Trino's error positions mapped to the file's lines. */
class SqlRunnerTest {
  @Test
  void statementsEndWithASemicolonAtTheEndOfALine() {
    List<SqlRunner.Statement0> statements = SqlRunner.split("""
        -- counts
        SELECT count(*)
        FROM events;

        SELECT 'a;b' AS x;
        SELECT 1""");

    assertThat(statements).extracting(SqlRunner.Statement0::firstLine).containsExactly(1, 5, 6);
    assertThat(statements.get(0).sql()).contains("FROM events").doesNotEndWith(";");
    assertThat(statements.get(1).sql()).isEqualTo("SELECT 'a;b' AS x");
    assertThat(statements.get(2).sql()).isEqualTo("SELECT 1");
  }

  @Test
  void trinosPositionIsTranslatedIntoTheFile() {
    SQLException e = new SQLException("Query failed (#20261122_1): line 2:8: Column 'nope' cannot be resolved");

    assertThat(SqlRunner.describe(e, new SqlRunner.Statement0("SELECT 1\nSELECT nope", 5), "q.sql"))
        .isEqualTo("q.sql:6:8: Column 'nope' cannot be resolved");
    assertThat(SqlRunner.describe(new SQLException("Access Denied"), new SqlRunner.Statement0("x", 3), "q.sql"))
        .isEqualTo("q.sql:3: Access Denied");
  }
}
