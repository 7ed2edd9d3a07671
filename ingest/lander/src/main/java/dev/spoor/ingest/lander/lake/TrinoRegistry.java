package dev.spoor.ingest.lander.lake;

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
import java.util.Properties;
import java.util.Set;

/**
 * Registers the lake's Delta tables in Trino's {@code delta_lake} catalog (file metastore), so that
 * {@code SELECT count(*) FROM events} works in Trino right after landing. Registration only records
 * the location: Trino reads the Delta log at query time, so new versions are visible at once.
 * Idempotent: tables already registered are left alone.
 */
public final class TrinoRegistry {
  private final LakeSettings settings;

  public TrinoRegistry(LakeSettings settings) {
    this.settings = settings;
  }

  /** Registers the given tables (name → location) that Trino does not know yet; returns those it registered. */
  public List<String> register(Map<String, String> tables) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", settings.trinoUser());
    List<String> registered = new ArrayList<>();
    try (Connection trino = DriverManager.getConnection(settings.trinoUrl(), props);
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
        if (known.contains(table.getKey())) {
          continue;
        }
        // CALL takes no bind parameters: literals, quoted.
        statement.execute("CALL " + catalog + ".system.register_table(schema_name => " + literal(schema)
            + ", table_name => " + literal(table.getKey()) + ", table_location => "
            + literal(LakeSettings.trinoLocation(table.getValue())) + ")");
        registered.add(table.getKey());
      }
    }
    return registered;
  }

  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
