package dev.spoor.lake;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registers the lake's Delta tables in Trino's {@code delta_lake} catalog (file metastore), so that
 * {@code SELECT count(*) FROM events} works in Trino right after landing. Registration only records
 * the location: Trino reads the Delta log at query time, so new versions are visible at once.
 * Idempotent: a table already registered at this location is left alone; one registered at another
 * location (another lake) is pointed at this one. Registers as the registrar ({@link
 * dev.spoor.config.TrinoRegistrar}), the only Trino user that may, and only locations under the lake
 * root or the archive root.
 */
public final class TrinoRegistry {
  private final LakeSettings settings;

  public TrinoRegistry(LakeSettings settings) {
    this.settings = settings;
  }

  /** Registers the given tables (name → location) that Trino does not know yet; returns those it registered. */
  public List<String> register(Map<String, String> tables) throws SQLException {
    tables.forEach(this::requireInLake);
    List<String> registered = new ArrayList<>();
    try (Connection trino = DriverManager.getConnection(settings.registrar().url(),
        settings.registrar().jdbcProperties());
         Statement statement = trino.createStatement()) {
      String catalog = settings.trinoCatalog();
      String schema = settings.trinoSchema();
      statement.execute("CREATE SCHEMA IF NOT EXISTS " + catalog + "." + schema);
      Set<String> known = new HashSet<>();
      try (PreparedStatement query = trino.prepareStatement(
          "SELECT table_name FROM " + catalog + ".information_schema.tables WHERE table_schema = ?")) {
        query.setString(1, schema);
        try (ResultSet rs = query.executeQuery()) {
          while (rs.next()) {
            known.add(rs.getString(1));
          }
        }
      }
      for (Map.Entry<String, String> table : new LinkedHashMap<>(tables).entrySet()) {
        String wanted = LakeSettings.trinoLocation(table.getValue());
        if (known.contains(table.getKey())) {
          String current = location(statement, catalog + "." + schema + "." + table.getKey());
          if (wanted.equals(current)) {
            continue;
          }
          // Registered elsewhere (another lake, a moved lake): point the name at this lake.
          statement.execute("CALL " + catalog + ".system.unregister_table(schema_name => " + literal(schema)
              + ", table_name => " + literal(table.getKey()) + ")");
        }
        // CALL takes no bind parameters: literals, quoted.
        statement.execute("CALL " + catalog + ".system.register_table(schema_name => " + literal(schema)
            + ", table_name => " + literal(table.getKey()) + ", table_location => "
            + literal(wanted) + ")");
        registered.add(table.getKey());
      }
    }
    return registered;
  }

  private void requireInLake(String table, String location) {
    for (String root : List.of(settings.lakeRoot(), settings.archiveRoot())) {
      String under = root.endsWith("/") ? root : root + "/";
      if (location.startsWith(under) && !location.substring(under.length()).matches("(.*/)?\\.\\.(/.*)?")) {
        return;
      }
    }
    throw new IllegalArgumentException("refusing to register " + table + " at " + location
        + ": Spoor registers only tables under the lake root " + settings.lakeRoot() + " or the archive root "
        + settings.archiveRoot());
  }

  /** The location a registered table reads, from {@code SHOW CREATE TABLE}; null if not found. */
  static String location(Statement statement, String qualifiedName) throws SQLException {
    try (ResultSet rs = statement.executeQuery("SHOW CREATE TABLE " + qualifiedName)) {
      if (!rs.next()) {
        return null;
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("location = '((?:[^']|'')*)'").matcher(rs.getString(1));
      return m.find() ? m.group(1).replace("''", "'") : null;
    }
  }

  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
