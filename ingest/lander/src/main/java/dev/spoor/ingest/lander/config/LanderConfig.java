package dev.spoor.ingest.lander.config;

import com.typesafe.config.Config;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.Settings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The lander's configuration ({@code spoor.lander}, {@code spoor.kafka}, {@code spoor.lake}), read and
 * validated once at start-up; {@code topics} are the ones it reads, with their creation settings; {@code properties} the typed
 * struct of every declared event property, which landed events must read as; {@code erasureKey} what
 * the erasure log's ids are keyed with. Lake paths are URIs or absolute paths: {@code file:/…} or a plain path
 * locally, {@code s3a://…} or {@code hdfs://…} on a cluster.
 */
public record LanderConfig(
    String lakeRoot,
    String checkpointDir,
    dev.spoor.kafka.KafkaConnection kafka,
    String goodTopic,
    String badTopic,
    Duration dedupHorizon,
    long maxOffsetsPerTrigger,
    Duration triggerInterval,
    String startingOffsets,
    String master,
    int shufflePartitions,
    java.util.List<dev.spoor.ingest.lander.view.ViewSpec> views,
    java.util.List<dev.spoor.kafka.TopicSpec> topics,
    org.apache.spark.sql.types.StructType properties,
    dev.spoor.lake.erasure.ErasureKey erasureKey) {

  public LanderConfig {
    views = java.util.List.copyOf(views);
    topics = java.util.List.copyOf(topics);
  }

  public static LanderConfig from(Config root) {
    Settings spoor = Settings.of(root, "spoor");
    Path home = Path.of(spoor.string("home"));
    Settings lander = spoor.section("lander");
    Settings kafka = spoor.section("kafka");
    String starting = lander.string("starting-offsets");
    if (!starting.equals("earliest") && !starting.equals("latest")) {
      throw new InvalidConfigException("spoor.lander.starting-offsets", starting, "earliest or latest");
    }
    String lakeRoot = location(spoor.string("lake.root"), home);
    return new LanderConfig(
        lakeRoot,
        lander.has("checkpoint-dir") ? location(lander.string("checkpoint-dir"), home) : lakeRoot + "/_checkpoints",
        dev.spoor.kafka.KafkaConnection.from(kafka, home), kafka.string("topics.good"), kafka.string("topics.bad"),
        lander.duration("dedup-horizon"),
        lander.integer("max-offsets-per-trigger", 1, Integer.MAX_VALUE),
        lander.duration("trigger-interval"), starting, lander.string("master"),
        lander.integer("shuffle-partitions", 1, 10_000),
        root.hasPath("spoor.lander.views")
            ? dev.spoor.ingest.lander.view.ViewSpec.from(root.getConfig("spoor.lander.views"), "spoor.lander.views")
            : java.util.List.of(),
        dev.spoor.kafka.SpoorTopics.ingest(root),
        dev.spoor.lake.PropertiesSchema.fromSchemas(spoor.section("ingest").path("schemas-dir", home)),
        dev.spoor.lake.erasure.ErasureKey.from(root, home));
  }

  private static String location(String value, Path home) {
    return dev.spoor.lake.LakePaths.location(value, home);
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public String table(String name) {
    return lakeRoot + "/" + name;
  }

  /** Every table the lander writes: events, bad events and the views. */
  public java.util.List<String> writtenTables() {
    java.util.List<String> tables = new java.util.ArrayList<>(java.util.List.of(
        table(dev.spoor.lake.LakeTables.EVENTS), table(dev.spoor.lake.LakeTables.BAD_EVENTS)));
    views.forEach(view -> tables.add(table(view.name())));
    return tables;
  }

  public String checkpoint(String stream) {
    return checkpointDir + "/" + stream;
  }
}
