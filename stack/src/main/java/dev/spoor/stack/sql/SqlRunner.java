package dev.spoor.stack.sql;

import dev.spoor.config.TrinoReader;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs SQL on Trino over JDBC and prints the results as an aligned table, CSV (RFC 4180) or JSON lines.
 * Statements of a file are split on semicolons that end a line; Trino's error positions
 * ({@code line L:C}) are translated into the file's lines.
 */
public final class SqlRunner {
  /** Output formats. */
  public enum Format { TABLE, CSV, JSON }

  private static final Pattern POSITION = Pattern.compile("^line (\\d+):(\\d+): (.*)$", Pattern.DOTALL);

  private final TrinoReader trino;
  private final String catalog;
  private final String schema;

  public SqlRunner(TrinoReader trino, String catalog, String schema) {
    this.trino = trino;
    this.catalog = catalog;
    this.schema = schema;
  }

  /** One statement and the file line it starts on (1 for a statement given on the command line). */
  public record Statement0(String sql, int firstLine) {}

  /** Splits a script into statements: a semicolon at the end of a line ends one; blank ones are dropped. */
  public static List<Statement0> split(String script) {
    List<Statement0> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int start = 1;
    String[] lines = script.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (current.toString().isBlank()) {
        current.setLength(0);
        start = i + 1;
      }
      String trimmed = line.stripTrailing();
      if (trimmed.endsWith(";")) {
        current.append(trimmed, 0, trimmed.length() - 1);
        if (!current.toString().isBlank()) {
          statements.add(new Statement0(current.toString(), start));
        }
        current.setLength(0);
      } else {
        current.append(line).append('\n');
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(new Statement0(current.toString().stripTrailing(), start));
    }
    return statements;
  }

  /** Runs the statements in order; stops at the first error. Returns 0, or 1 after printing the error. */
  public int run(List<Statement0> statements, String source, Format format, PrintWriter out, PrintWriter err) {
    try (Connection connection = DriverManager.getConnection(trino.url(), trino.jdbcProperties())) {
      connection.setCatalog(catalog);
      connection.setSchema(schema);
      for (Statement0 statement : statements) {
        try (Statement s = connection.createStatement()) {
          if (s.execute(statement.sql())) {
            try (ResultSet rs = s.getResultSet()) {
              print(rs, format, out);
            }
          } else {
            out.println(s.getUpdateCount() >= 0 ? s.getUpdateCount() + " rows" : "OK");
          }
        } catch (SQLException e) {
          err.println(describe(e, statement, source));
          return 1;
        }
      }
      return 0;
    } catch (SQLException e) {
      String why = String.valueOf(e.getMessage());
      err.println(why.contains("Authentication failed")
          ? "spoor sql: Trino at " + trino.url() + " refused " + trino.user() + "'s login (" + why + ")"
          : "spoor sql: cannot reach Trino at " + trino.url() + " (" + why + "); is it up? bin/spoor up trino");
      return 1;
    }
  }

  /** Trino's message with its position in the source: {@code file.sql:12:8: Column 'x' cannot be resolved}. */
  static String describe(SQLException e, Statement0 statement, String source) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    int colon = message.indexOf(": line ");
    String body = colon >= 0 ? message.substring(colon + 2) : message;
    Matcher m = POSITION.matcher(body);
    if (m.matches()) {
      int line = Integer.parseInt(m.group(1)) + statement.firstLine() - 1;
      return source + ":" + line + ":" + m.group(2) + ": " + m.group(3).strip();
    }
    return source + ":" + statement.firstLine() + ": " + body.strip();
  }

  static void print(ResultSet rs, Format format, PrintWriter out) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    int n = meta.getColumnCount();
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      names.add(meta.getColumnLabel(i));
    }
    List<Object[]> rows = new ArrayList<>();
    while (rs.next()) {
      Object[] row = new Object[n];
      for (int i = 1; i <= n; i++) {
        row[i - 1] = rs.getObject(i);
      }
      rows.add(row);
    }
    switch (format) {
      case CSV -> {
        out.println(String.join(",", names.stream().map(SqlRunner::csv).toList()));
        for (Object[] row : rows) {
          List<String> cells = new ArrayList<>();
          for (Object v : row) {
            cells.add(v == null ? "" : csv(text(v)));
          }
          out.println(String.join(",", cells));
        }
      }
      case JSON -> {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (Object[] row : rows) {
          var node = json.createObjectNode();
          for (int i = 0; i < n; i++) {
            node.set(names.get(i), json.valueToTree(row[i] instanceof Number || row[i] instanceof Boolean || row[i] == null
                ? row[i] : text(row[i])));
          }
          out.println(node);
        }
      }
      default -> {
        int[] widths = new int[n];
        for (int i = 0; i < n; i++) {
          widths[i] = names.get(i).length();
        }
        List<String[]> cells = new ArrayList<>();
        for (Object[] row : rows) {
          String[] r = new String[n];
          for (int i = 0; i < n; i++) {
            r[i] = row[i] == null ? "NULL" : text(row[i]);
            widths[i] = Math.max(widths[i], r[i].length());
          }
          cells.add(r);
        }
        StringBuilder header = new StringBuilder();
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < n; i++) {
          header.append(i == 0 ? "" : " | ").append(pad(names.get(i), widths[i], false));
          rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        out.println(header.toString().stripTrailing());
        out.println(rule);
        for (int r = 0; r < cells.size(); r++) {
          StringBuilder line = new StringBuilder();
          for (int i = 0; i < n; i++) {
            boolean numeric = rows.get(r)[i] instanceof Number;
            line.append(i == 0 ? "" : " | ").append(pad(cells.get(r)[i], widths[i], numeric));
          }
          out.println(line.toString().stripTrailing());
        }
        out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
      }
    }
  }

  private static String text(Object v) {
    if (v instanceof java.sql.Array a) {
      try {
        return java.util.Arrays.deepToString((Object[]) a.getArray());
      } catch (SQLException e) {
        return v.toString();
      }
    }
    return v.toString();
  }

  private static String pad(String s, int width, boolean right) {
    String spaces = " ".repeat(Math.max(0, width - s.length()));
    return right ? spaces + s : s + spaces;
  }

  private static String csv(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
