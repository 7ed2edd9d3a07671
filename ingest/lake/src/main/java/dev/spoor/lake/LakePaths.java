package dev.spoor.lake;

import java.nio.file.Path;

/**
 * Locations in the lake: a URI ({@code s3a://…}, {@code hdfs://…}, {@code file:/…}) is kept as it is;
 * a plain path becomes absolute, relative to the Spoor home.
 */
public final class LakePaths {
  private LakePaths() {}

  public static String location(String value, Path home) {
    if (value.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || value.startsWith("file:")) {
      return value;
    }
    return home.resolve(value).toAbsolutePath().normalize().toString();
  }
}
