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
 * into the cache on first use and unpacked with only the Delta Lake plugin kept (the full server is
 * ~820 MB of plugins we do not use; one plugin also starts faster). Unpacking happens in a temporary
 * directory that is renamed at the end, so an interrupted first run is simply redone.
 */
public final class TrinoDistribution {
  static final String KEPT_PLUGIN = "delta-lake";
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
    return Files.isRegularFile(installDir().resolve(READY_MARKER));
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
      System.err.println("Unpacking Trino " + version + " with only the " + KEPT_PLUGIN + " plugin…");
      Path staging = Files.createTempDirectory(cacheDir, "trino-unpack");
      String top = "trino-server-" + version;
      // The tarball hard-links jars shared between plugins, so it is unpacked whole and the other
      // plugins are deleted afterwards (the kept plugin's links survive as ordinary files).
      untar(tarball, staging);
      Path unpacked = staging.resolve(top);
      try (Stream<Path> plugins = Files.list(unpacked.resolve("plugin"))) {
        for (Path plugin : plugins.filter(p -> !p.getFileName().toString().equals(KEPT_PLUGIN)).toList()) {
          deleteTree(plugin);
        }
      }
      Files.writeString(unpacked.resolve(READY_MARKER), version + "\n");
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
