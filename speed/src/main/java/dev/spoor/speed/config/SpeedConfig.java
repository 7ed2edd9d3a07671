package dev.spoor.speed.config;

import com.typesafe.config.Config;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.Settings;
import dev.spoor.lake.PropertiesSchema;
import dev.spoor.speed.rule.Rule;
import dev.spoor.speed.rule.RuleOutputs;
import dev.spoor.state.config.StateStoreConfig;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The speed layer's configuration ({@code spoor.speed}, the good topic, the state store), read and
 * checked at start-up; the rules' SQL is checked against the event and state columns before the
 * stream starts.
 */
public record SpeedConfig(String master, String checkpointDir, Mode mode, Duration triggerInterval, long maxOffsetsPerTrigger,
    int lookupChunk, boolean asyncProgress, String metricsHost, int metricsPort, String startingOffsets, dev.spoor.kafka.KafkaConnection kafka, String goodTopic, String notificationsTopic, String decoratedTopic,
    String gatedTopic, String routedPrefix, String cartValue, List<Rule> rules, StateStoreConfig state,
    StructType properties, dev.spoor.lake.erasure.ErasureKey erasureKey, Duration erasedRefresh) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How Spark runs the query ({@code spoor.speed.trigger}); see docs/BENCHMARKS.md (speed) for their latencies. */
  public enum Mode {
    /** Spark's default: a micro-batch planned and scheduled per trigger. */
    MICRO_BATCH("micro-batch"),
    /** Continuous processing: a long-running task per Kafka partition, epochs committed every trigger-interval. */
    CONTINUOUS("continuous"),
    /** Spark 4.1's Real-Time Mode: long-running tasks per batch of trigger-interval, records emitted as they come. */
    REAL_TIME("real-time");

    private final String setting;

    Mode(String setting) {
      this.setting = setting;
    }

    public String setting() {
      return setting;
    }

    /** One long-running task per Kafka partition, for as long as a batch or epoch lasts. */
    public boolean longRunningTasks() {
      return this != MICRO_BATCH;
    }

    static Mode of(String setting) {
      for (Mode m : values()) {
        if (m.setting.equals(setting)) {
          return m;
        }
      }
      throw new InvalidConfigException("spoor.speed.trigger", setting, "micro-batch, continuous or real-time");
    }
  }

  public static SpeedConfig from(Config config, Path home) {
    Settings speed = Settings.of(config, "spoor.speed");
    Settings kafka = Settings.of(config, "spoor.kafka");
    String starting = speed.string("starting-offsets");
    if (!starting.equals("latest") && !starting.equals("earliest") && !starting.trim().startsWith("{")) {
      throw new InvalidConfigException("spoor.speed.starting-offsets", starting,
          "latest, earliest, or offsets per partition as JSON ({\"topic\":{\"0\":42}})");
    }
    List<Rule> rules = Rule.parseAll(config.getConfig("spoor.speed.rules"), "spoor.speed.rules");
    Duration trigger;
    try {
      trigger = config.getDuration("spoor.speed.trigger-interval");
    } catch (com.typesafe.config.ConfigException e) {
      throw new InvalidConfigException("spoor.speed.trigger-interval", e.getMessage());
    }
    if (trigger.isNegative()) {
      throw new InvalidConfigException("spoor.speed.trigger-interval", trigger, "0s (as fast as possible) or more");
    }
    Mode mode = Mode.of(speed.string("trigger"));
    if (mode.longRunningTasks() && trigger.isZero()) {
      throw new InvalidConfigException("spoor.speed.trigger-interval", trigger,
          "more than 0s with trigger = " + mode.setting() + " (how often its progress is committed)");
    }
    return new SpeedConfig(speed.string("master"), dev.spoor.lake.LakePaths.location(speed.string("checkpoint-dir"), home),
        mode, trigger, speed.integer("max-offsets-per-trigger", 1, Integer.MAX_VALUE), speed.integer("lookup-chunk", 1, 100_000),
        config.getBoolean("spoor.speed.async-progress"), speed.string("metrics-host"), speed.integer("metrics-port", -1, 65535), starting,
        dev.spoor.kafka.KafkaConnection.from(kafka, home), kafka.string("topics.good"), speed.string("topics.notifications"),
        speed.string("topics.decorated"), speed.string("topics.gated"), speed.string("topics.routed-prefix"),
        speed.string("cart-value"), rules, StateStoreConfig.from(config),
        PropertiesSchema.fromSchemas(Settings.of(config, "spoor.ingest").path("schemas-dir", home)),
        dev.spoor.lake.erasure.ErasureKey.from(config, home), speed.duration("erased-refresh"));
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /** The topics the rules write to. */
  public RuleOutputs.Topics topics() {
    return new RuleOutputs.Topics(notificationsTopic, decoratedTopic, gatedTopic, routedPrefix);
  }

  /** Every topic the speed layer writes: notifications, decorated, gated (if a rule gates), one per route. */
  public List<String> outputTopics() {
    List<String> topics = new java.util.ArrayList<>(List.of(notificationsTopic, decoratedTopic));
    if (rules.stream().anyMatch(r -> r.action() == Rule.Action.GATE)) {
      topics.add(gatedTopic);
    }
    rules.stream().filter(r -> r.action() == Rule.Action.ROUTE).map(r -> routedPrefix + r.route()).distinct()
        .forEach(topics::add);
    return topics;
  }
}
