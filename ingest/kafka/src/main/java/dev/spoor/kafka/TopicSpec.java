package dev.spoor.kafka;

import java.time.Duration;

/**
 * A Kafka topic as Spoor creates it: name, partition count, replication factor and retention. Spoor
 * never relies on the broker's auto-creation: a topic a component reads or writes is created up front
 * with these settings, so a consumer of a topic nobody has produced to yet waits on an empty topic
 * instead of failing.
 */
public record TopicSpec(String name, int partitions, short replication, Duration retention) {
  public TopicSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a topic needs a name");
    }
    if (partitions < 1 || replication < 1 || retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("topic " + name + ": partitions and replication >= 1, retention > 0");
    }
  }

  /** The same settings for another topic. */
  public TopicSpec named(String other) {
    return new TopicSpec(other, partitions, replication, retention);
  }
}
