package dev.spoor.stack.config;

import java.util.List;
import java.util.stream.IntStream;

/**
 * One node of a service the local stack runs as several processes (Kafka brokers, HBase region
 * servers, Spark workers). Node {@code index} of {@code count} is named {@code base-index} (just
 * {@code base} when it is the only one) and listens on each configured port plus
 * {@code 10 × (index − 1)}: with {@code port = 9092}, brokers 1, 2, 3 listen on 9092, 9102, 9112.
 */
public record ClusterNode(int index, int count) {
  /** How far apart the ports of neighbouring nodes are. */
  public static final int PORT_STEP = 10;

  public ClusterNode {
    if (count < 1 || index < 1 || index > count) {
      throw new IllegalArgumentException("node " + index + " of " + count);
    }
  }

  /** The nodes of a service of {@code count} processes. */
  public static List<ClusterNode> of(int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> new ClusterNode(i, count)).toList();
  }

  /** The only node of a single-process service. */
  public static ClusterNode single() {
    return new ClusterNode(1, 1);
  }

  public String name(String base) {
    return count == 1 ? base : base + "-" + index;
  }

  /** The service a node's name belongs to: {@code kafka} for {@code kafka-2} (and for {@code kafka}). */
  public static String service(String name) {
    return name.replaceFirst("-\\d+$", "");
  }

  public int port(int base) {
    return base + PORT_STEP * (index - 1);
  }

  /** The smallest number of nodes that are a majority: 2 of 3. */
  public int majority() {
    return count / 2 + 1;
  }

  public boolean isLast() {
    return index == count;
  }
}
