package dev.spoor.lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession of a Spoor job: UTC, the configured master unless spark-submit already chose one
 * (then the cluster's settings win); Delta enabled for the jobs that read or write the lake.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /** A job that reads or writes the lake (Delta tables). */
  public static SparkSession forJob(String appName, String master, int shufflePartitions) {
    return builder(appName, master, shufflePartitions)
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        // MERGE sources are left to Delta's default ("auto"): a source that is not a deterministic
        // Delta-only plan (the batch jobs' recomputations join cached scope values) is materialised
        // first, so a MERGE never reads two different sources. The lander, whose source is a cached
        // micro-batch of fixed Kafka offsets, says why it needs no copy (LanderJob).
        // Every table Spoor creates keeps a change data feed: incremental batch runs read what changed.
        .config("spark.databricks.delta.properties.defaults.enableChangeDataFeed", "true")
        .getOrCreate();
  }

  /**
   * A stream that never touches the lake (the speed layer: Kafka to Kafka): no Delta, so it also runs
   * on a Spark line Delta has no release for.
   */
  public static SparkSession withoutLake(String appName, String master) {
    return builder(appName, master, 2).getOrCreate();
  }

  private static SparkSession.Builder builder(String appName, String master, int shufflePartitions) {
    SparkConf conf = new SparkConf();
    SparkSession.Builder builder = SparkSession.builder().appName(appName)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", shufflePartitions)
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.streaming.stopActiveRunOnRestart", "true")
        .config("spark.sql.debug.maxToStringFields", "500");
    if (conf.contains("spark.master")) {
      return builder;
    }
    builder.master(master);
    if (!master.startsWith("local")) {
      // A cluster's executors need Spoor's classes and what Spark lacks: the application jar.
      return builder.config("spark.jars", applicationJar().toString());
    }
    builder.config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        // File listings (VACUUM) default to 10 000 tasks: sized for clusters, not for one machine.
        .config("spark.sql.sources.parallelPartitionDiscovery.parallelism", "8")
        // Delta rebuilds a table's state (on each checkpoint, every 10 commits) in 50 tasks by default,
        // each generating the code of its log actions' decoder: on one machine, seconds per commit.
        .config("spark.databricks.delta.snapshotPartitions", Integer.toString(Math.max(2, shufflePartitions)));
    return builder;
  }

  /**
   * The application jar of this Spoor install ({@code dist/target/spoor-app-*.jar} under
   * {@code spoor.home}), which a job started outside spark-submit ships to a cluster master's executors.
   */
  static Path applicationJar() {
    Path dist = Path.of(System.getProperty("spoor.home", ".")).resolve("dist/target");
    try (Stream<Path> files = Files.list(dist)) {
      return files.filter(f -> f.getFileName().toString().matches("spoor-app-.*\\.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException(noJar(dist)));
    } catch (IOException e) {
      throw new IllegalStateException(noJar(dist), e);
    }
  }

  private static String noJar(Path dist) {
    return "a cluster master needs Spoor's application jar, and " + dist + " has none: build it with"
        + " mvn -B -DskipTests package";
  }
}
