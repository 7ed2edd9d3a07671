package dev.spoor.stack.runtime;

import dev.spoor.stack.StackException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Trino server distribution, fetched from Maven Central ({@code io.trino:trino-server:V:tar.gz})
 * into the cache on first use and unpacked with only the plugins Spoor uses kept: Delta Lake, and the
 * password authenticators the registrar logs in with (the full server is ~820 MB of plugins we do not
 * use; fewer plugins also start faster). Unpacking happens in a temporary directory that is renamed
 * at the end, so an interrupted first run is simply redone; an install that kept other plugins is
 * unpacked again (from the Maven repository's copy of the tarball, when it is still there).
 */
public final class TrinoDistribution {
  static final List<String> KEPT_PLUGINS = List.of("delta-lake", "password-authenticators");
  private static final String READY_MARKER = ".spoor-ready";

  private final Path home;
  private final Path cacheDir;
  private final String version;

  public TrinoDistribution(Path home, Path cacheDir, String version) {
    this.home = home;
    this.cacheDir = cacheDir;
    this.version = version;
  }

  public Path installDir() {
    return cacheDir.resolve("trino-server-" + version);
  }

  public boolean isInstalled() {
    try {
      Path marker = installDir().resolve(READY_MARKER);
      return Files.isRegularFile(marker) && Files.readString(marker).equals(marker());
    } catch (IOException e) {
      return false;
    }
  }

  /** What the ready marker says: the version and the kept plugins. */
  private String marker() {
    return version + " " + String.join(",", KEPT_PLUGINS) + "\n";
  }

  /** The unpacked server, downloading and unpacking it if needed. */
  public Path ensureInstalled() {
    if (isInstalled()) {
      return installDir();
    }
    try {
      Path downloads = cacheDir.resolve("downloads");
      Files.createDirectories(downloads);
      String file = "trino-server-" + version + ".tar.gz";
      Path tarball = downloads.resolve(file);
      if (!Files.isRegularFile(tarball)) {
        System.err.println("Fetching Trino " + version + " from Maven Central (about 820 MB, once)…");
        MavenRunner.run(home, List.of("dependency:copy",
            "-Dartifact=io.trino:trino-server:" + version + ":tar.gz",
            "-DoutputDirectory=" + downloads), "download trino-server " + version, "Trino " + version);
      }
      System.err.println("Unpacking Trino " + version + " with only the " + String.join(" and ", KEPT_PLUGINS)
          + " plugins…");
      Path staging = Files.createTempDirectory(cacheDir, "trino-unpack");
      String top = "trino-server-" + version;
      // The tarball hard-links jars shared between plugins, so it is unpacked whole and the other
      // plugins are deleted afterwards (the kept plugin's links survive as ordinary files).
      untar(tarball, staging);
      Path unpacked = staging.resolve(top);
      try (Stream<Path> plugins = Files.list(unpacked.resolve("plugin"))) {
        for (Path plugin : plugins.filter(p -> !KEPT_PLUGINS.contains(p.getFileName().toString())).toList()) {
          deleteTree(plugin);
        }
      }
      Files.writeString(unpacked.resolve(READY_MARKER), marker());
      deleteTree(installDir());
      Files.move(unpacked, installDir(), StandardCopyOption.ATOMIC_MOVE);
      deleteTree(staging);
      Files.deleteIfExists(tarball);
      return installDir();
    } catch (IOException e) {
      throw new StackException("cannot install Trino under " + cacheDir + ": " + e.getMessage(), e);
    }
  }

  private static void untar(Path tarball, Path into) throws IOException {
    List<String> command = List.of("tar", "-xzf", tarball.toString(), "-C", into.toString());
    try {
      Process process = new ProcessBuilder(command).inheritIO().start();
      if (process.waitFor() != 0) {
        throw new StackException("tar failed to unpack " + tarball + " (is the disk full? is the"
            + " download complete? delete it and retry)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while unpacking " + tarball, e);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
