package dev.spoor.stack.runtime;

import dev.spoor.stack.StackException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A SPARK_HOME assembled from the Spark jars on Maven Central. A standalone worker starts executors
 * with {@code SPARK_HOME/jars/*} on their classpath and looks for a {@code RELEASE} file to know it is
 * a distribution, so this directory has exactly those: links to the resolved jars and the marker.
 */
public final class SparkHome {
  private final RuntimeClasspath runtime;
  private final Path cacheDir;

  public SparkHome(RuntimeClasspath runtime, Path cacheDir) {
    this.runtime = runtime;
    this.cacheDir = cacheDir;
  }

  public Path ensureAssembled() {
    List<Path> jars = runtime.jars("spark");
    Path dir = cacheDir.resolve("spark-home");
    Path jarsDir = dir.resolve("jars");
    try {
      TrinoDistribution.deleteTree(jarsDir);
      Files.createDirectories(jarsDir);
      Files.createDirectories(dir.resolve("conf"));
      for (Path jar : jars) {
        Files.createSymbolicLink(jarsDir.resolve(jar.getFileName()), jar);
      }
      Files.writeString(dir.resolve("RELEASE"), "Spark assembled by Spoor from Maven Central\n");
      return dir;
    } catch (IOException e) {
      throw new StackException("cannot assemble SPARK_HOME under " + dir + ": " + e.getMessage(), e);
    }
  }
}
