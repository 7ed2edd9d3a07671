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
 * @param lakeRoot root of the Delta lake that Trino's catalog reads
 * @param cacheDir downloads and resolved classpaths, outside the checkout
 * @param minFreeDiskBytes {@code up} refuses to start a service below this much free disk
 */
public record StackConfig(
    Path home,
    Path varDir,
    Path lakeRoot,
    Path cacheDir,
    long minFreeDiskBytes,
    KafkaSettings kafka,
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
    Path lakeRoot = lake.startsWith("file:") ? Path.of(java.net.URI.create(lake)) : home.resolve(lake);
    Settings stack = spoor.section("stack");
    return new StackConfig(
        home,
        varDir,
        lakeRoot.toAbsolutePath().normalize(),
        stack.path("cache-dir", home),
        stack.bytes("min-free-disk"),
        KafkaSettings.from(stack.section("kafka"),
            dev.spoor.kafka.KafkaSecurity.password(Settings.of(root, "spoor.kafka.security.sasl"), home)),
        HBaseSettings.from(stack.section("hbase")),
        TrinoSettings.from(stack.section("trino"), dev.spoor.config.TrinoRegistrar.from(root, home)),
        SparkSettings.from(stack.section("spark")),
        CollectorSettings.from(spoor.section("collector")),
        dev.spoor.kafka.SpoorTopics.all(root));
  }

  /** Directory of one service's pid file, log and data. */
  public Path serviceDir(String service) {
    return varDir.resolve(service);
  }
}
