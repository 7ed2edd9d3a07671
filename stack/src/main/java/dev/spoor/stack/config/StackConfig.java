package dev.spoor.stack.config;

import com.typesafe.config.Config;
import dev.spoor.config.Settings;
import java.nio.file.Path;

/**
 * Configuration of the local stack, read once from the {@code spoor} section and validated at
 * start-up. Paths are absolute.
 *
 * @param home the Spoor checkout (holds {@code conf/} and the runtime POMs)
 * @param varDir pid files, logs and data of every service
 * @param lakeRoot the Delta lake's root: an absolute path, or a URI ({@code hdfs://…}, {@code s3a://…})
 * @param cacheDir downloads and resolved classpaths, outside the checkout
 * @param minFreeDiskBytes {@code up} refuses to start a service below this much free disk
 */
public record StackConfig(
    Path home,
    Path varDir,
    String lakeRoot,
    Path cacheDir,
    long minFreeDiskBytes,
    KafkaSettings kafka,
    HdfsSettings hdfs,
    S3Settings s3,
    HBaseSettings hbase,
    TrinoSettings trino,
    SparkSettings spark,
    CollectorSettings collector,
    java.util.List<dev.spoor.kafka.TopicSpec> topics) {

  public static StackConfig from(Config root) {
    Settings spoor = Settings.of(root, "spoor");
    Path home = Path.of(spoor.string("home"));
    Path varDir = spoor.path("var-dir", home);
    String lake = spoor.string("lake.root");
    Settings stack = spoor.section("stack");
    return new StackConfig(
        home,
        varDir,
        lake.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") ? lake : home.resolve(lake).toAbsolutePath().normalize().toString(),
        stack.path("cache-dir", home),
        stack.bytes("min-free-disk"),
        KafkaSettings.from(stack.section("kafka"),
            dev.spoor.kafka.KafkaSecurity.password(Settings.of(root, "spoor.kafka.security.sasl"), home)),
        HdfsSettings.from(stack.section("hdfs")),
        S3Settings.from(stack.section("s3"), home),
        HBaseSettings.from(stack.section("hbase")),
        TrinoSettings.from(stack.section("trino"), dev.spoor.config.TrinoRegistrar.from(root, home)),
        SparkSettings.from(stack.section("spark")),
        CollectorSettings.from(spoor.section("collector")),
        dev.spoor.kafka.SpoorTopics.all(root));
  }

  /**
   * This configuration in another shape (Kafka brokers, HBase standalone or distributed with its region
   * servers, Spark workers), all else kept: with it, {@code down} finds what a stack of another shape
   * left running under the same {@code var/}.
   */
  public StackConfig withShape(int brokers, boolean distributedHBase, int regionServers, int sparkWorkers) {
    return new StackConfig(home, varDir, lakeRoot, cacheDir, minFreeDiskBytes, kafka.withBrokers(brokers), hdfs, s3,
        hbase.withMode(distributedHBase, regionServers), trino, spark.withWorkers(sparkWorkers), collector, topics);
  }

  /** Directory of one service's pid file, log and data. */
  public Path serviceDir(String service) {
    return varDir.resolve(service);
  }

  /** The lake's root when it is on this machine's file system (empty for {@code hdfs://}, {@code s3a://}). */
  public java.util.Optional<Path> localLakeRoot() {
    if (lakeRoot.startsWith("file:")) {
      return java.util.Optional.of(Path.of(java.net.URI.create(lakeRoot)));
    }
    return lakeRoot.startsWith("/") ? java.util.Optional.of(Path.of(lakeRoot)) : java.util.Optional.empty();
  }
}
