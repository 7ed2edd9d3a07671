package dev.spoor.kafka;

import com.typesafe.config.Config;
import dev.spoor.config.Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * The topics Spoor reads and writes, from {@code spoor.kafka.topics} and {@code spoor.speed.topics},
 * with the creation settings of {@code spoor.kafka.topic-defaults} (partitions, replication factor,
 * retention). Routed topics ({@code spoor.routed.<route>}) are named by the speed layer's rules, which
 * create them when they start.
 */
public final class SpoorTopics {
  private SpoorTopics() {}

  /** Creation settings of every Spoor topic, applied to the name given. */
  public static TopicSpec defaults(Config root, String name) {
    Settings defaults = Settings.of(root, "spoor.kafka.topic-defaults");
    return new TopicSpec(name, defaults.integer("partitions", 1, 10_000),
        (short) defaults.integer("replication-factor", 1, 32), defaults.duration("retention"));
  }

  /** The ingest topics: good events and bad rows. */
  public static List<TopicSpec> ingest(Config root) {
    Settings kafka = Settings.of(root, "spoor.kafka");
    return List.of(defaults(root, kafka.string("topics.good")), defaults(root, kafka.string("topics.bad")));
  }

  /** The ingest topics and the speed layer's fixed outbound topics (notifications, decorated, gated). */
  public static List<TopicSpec> all(Config root) {
    List<TopicSpec> topics = new ArrayList<>(ingest(root));
    Settings speed = Settings.of(root, "spoor.speed.topics");
    for (String key : List.of("notifications", "decorated", "gated")) {
      topics.add(defaults(root, speed.string(key)));
    }
    return topics;
  }
}
