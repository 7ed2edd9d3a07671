package dev.spoor.lake;

import com.typesafe.config.Config;
import dev.spoor.config.Settings;
import dev.spoor.config.TrinoRegistrar;
import java.time.Duration;

/**
 * Maintenance and catalog settings of the lake ({@code spoor.lake}, {@code spoor.trino}).
 *
 * @param archiveRoot where old partitions move: a Delta table per table, zstd Parquet
 * @param trinoUrl where the lake is queried, as {@code trinoUser} (a reader)
 * @param registrar who registers the lake's tables in Trino
 */
public record LakeSettings(
    String lakeRoot,
    String archiveRoot,
    Duration vacuumRetention,
    String trinoUrl,
    String trinoCatalog,
    String trinoSchema,
    String trinoUser,
    TrinoRegistrar registrar) {

  public static LakeSettings from(Config root) {
    Settings spoor = Settings.of(root, "spoor");
    Settings lake = spoor.section("lake");
    Settings trino = spoor.section("trino");
    java.nio.file.Path home = java.nio.file.Path.of(spoor.string("home"));
    String lakeRoot = LakePaths.location(lake.string("root"), home);
    String archive = lake.has("archive-root") ? lake.string("archive-root") : lakeRoot + "/_archive";
    return new LakeSettings(lakeRoot, archive, lake.duration("vacuum-retention"), trino.string("url"),
        trino.string("catalog"), trino.string("schema"), trino.string("user"), TrinoRegistrar.from(root, home));
  }

  /** Another lake's (root, archive under it) with this one's Trino settings and the tables in {@code schema}. */
  public LakeSettings forLake(String root, String schema) {
    return new LakeSettings(root, root + "/_archive", vacuumRetention, trinoUrl, trinoCatalog, schema, trinoUser,
        registrar);
  }

  public String table(String name) {
    return lakeRoot + "/" + name;
  }

  public String archived(String name) {
    return archiveRoot + "/" + name;
  }

  /** The location as Trino's file systems name it. */
  public static String trinoLocation(String location) {
    if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      return location;
    }
    String path = location.startsWith("file:") ? location.substring("file:".length()).replaceFirst("^/+", "/") : location;
    return "local://" + path;
  }
}
