package dev.spoor.stack.config;

import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.Secret;
import dev.spoor.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The local KRaft Kafka: {@code brokers} nodes, each broker and controller in one process (node i's
 * ports are the configured ones plus 10 × (i − 1), see {@link ClusterNode}). Each has a plain listener
 * ({@code port}), the controller's, and a SASL_SSL listener ({@code securePort}) where
 * {@code scramUser} logs in with SCRAM-SHA-512 and the password of Spoor's clients
 * ({@code spoor.kafka.security.sasl}). Topics have a copy on every broker; with three, a write needs
 * two in-sync replicas.
 */
public record KafkaSettings(
    String host, int port, int controllerPort, int securePort, String scramUser, Secret scramPassword,
    long heapBytes, Duration startTimeout, int defaultPartitions, int brokers) {

  /** These settings with {@code count} brokers. */
  public KafkaSettings withBrokers(int count) {
    return new KafkaSettings(host, port, controllerPort, securePort, scramUser, scramPassword, heapBytes, startTimeout,
        defaultPartitions, count);
  }

  static KafkaSettings from(Settings s, Secret scramPassword) {
    KafkaSettings k = new KafkaSettings(s.string("host"), s.port("port"), s.port("controller-port"),
        s.port("secure-port"), s.string("scram-user"), scramPassword, s.bytes("heap"), s.duration("start-timeout"),
        s.integer("default-partitions", 1, 1024), s.integer("brokers", 1, 3));
    List<Integer> ports = k.nodes().stream()
        .flatMap(n -> IntStream.of(n.port(k.port), n.port(k.controllerPort), n.port(k.securePort)).boxed())
        .toList();
    if (ports.stream().distinct().count() < ports.size()) {
      throw new InvalidConfigException(s.full("controller-port"), k.controllerPort + ", " + s.full("secure-port")
          + " = " + k.securePort, "ports different from each other and from " + s.full("port") + " = " + k.port
          + ", also on every broker (broker i adds " + ClusterNode.PORT_STEP + " × (i − 1) to each)");
    }
    return k;
  }

  public List<ClusterNode> nodes() {
    return ClusterNode.of(brokers);
  }

  /** Every broker's plain listener. */
  public String bootstrapServers() {
    return nodes().stream().map(n -> host + ":" + n.port(port)).collect(Collectors.joining(","));
  }

  /** Every broker's SASL_SSL listener. */
  public String secureBootstrapServers() {
    return nodes().stream().map(n -> host + ":" + n.port(securePort)).collect(Collectors.joining(","));
  }

  /** How many copies of each partition topics (Spoor's and Kafka's own) keep: one per broker. */
  public int replication() {
    return brokers;
  }

  /** How many in-sync copies an acknowledged write needs: two once there are three. */
  public int minInSyncReplicas() {
    return Math.min(2, replication());
  }
}
