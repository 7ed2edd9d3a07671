package dev.spoor.lake;

import com.typesafe.config.Config;
import dev.spoor.config.Settings;
import java.time.Duration;

/**
 * Maintenance and catalog settings of the lake ({@code spoor.lake}, {@code spoor.trino}).
 *
 * @param archiveRoot where old partitions move: a Delta table per table, zstd Parquet
 * @param trinoLocationPrefix what Trino needs in front of a local path ({@code local://}); URIs
 *     ({@code s3a://…}) are passed as they are
 */
public record LakeSettings(
    String lakeRoot,
    String archiveRoot,
    Duration vacuumRetention,
    String trinoUrl,
    String trinoCatalog,
    String trinoSchema,
    String trinoUser) {

  public static LakeSettings from(Config root) {
    Settings spoor = Settings.of(root, "spoor");
    Settings lake = spoor.section("lake");
    Settings trino = spoor.section("trino");
    String lakeRoot = LakePaths.location(lake.string("root"), java.nio.file.Path.of(spoor.string("home")));
    String archive = lake.has("archive-root") ? lake.string("archive-root") : lakeRoot + "/_archive";
    return new LakeSettings(lakeRoot, archive, lake.duration("vacuum-retention"), trino.string("url"),
        trino.string("catalog"), trino.string("schema"), trino.string("user"));
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
