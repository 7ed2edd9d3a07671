package dev.spoor.testing.spark;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession of a test JVM, with Delta Lake enabled where Delta is on the classpath. Starting Spark costs seconds, so
 * every test class of the JVM shares it; tests keep their data apart by writing under their own
 * temporary directories. The session lives until the JVM exits (Spark's own shutdown hook stops it).
 */
public final class SharedSpark {
  private SharedSpark() {}

  private static final class Holder {
    static final SparkSession SESSION = create();
  }

  public static SparkSession session() {
    return Holder.SESSION;
  }

  private static SparkSession create() {
    Path warehouse = Path.of("target", "spark-warehouse").toAbsolutePath();
    SparkSession.Builder builder = SparkSession.builder()
        .appName("spoor-tests")
        .master("local[2]")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", warehouse.toString())
        // VACUUM lists files with this many tasks (10 000 by default): far too many for local[2].
        .config("spark.sql.sources.parallelPartitionDiscovery.parallelism", "4");
    if (onClasspath("io.delta.sql.DeltaSparkSessionExtension")) { // not in the speed layer's (Spark 4.1, no lake)
      builder.config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .config("spark.databricks.delta.snapshotPartitions", "2")
          .config("spark.databricks.delta.properties.defaults.enableChangeDataFeed", "true");
    }
    return builder.getOrCreate();
  }

  private static boolean onClasspath(String className) {
    try {
      Class.forName(className, false, SharedSpark.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
