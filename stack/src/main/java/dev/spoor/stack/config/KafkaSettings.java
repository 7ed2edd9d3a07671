package dev.spoor.stack.config;

import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.Secret;
import dev.spoor.config.Settings;
import java.time.Duration;

/**
 * The local single-node KRaft broker: a plain listener ({@code port}), the controller's, and a
 * SASL_SSL listener ({@code securePort}) where {@code scramUser} logs in with SCRAM-SHA-512 and the
 * password of Spoor's clients ({@code spoor.kafka.security.sasl}).
 */
public record KafkaSettings(
    String host, int port, int controllerPort, int securePort, String scramUser, Secret scramPassword,
    long heapBytes, Duration startTimeout, int defaultPartitions) {

  static KafkaSettings from(Settings s, Secret scramPassword) {
    KafkaSettings k = new KafkaSettings(s.string("host"), s.port("port"), s.port("controller-port"),
        s.port("secure-port"), s.string("scram-user"), scramPassword, s.bytes("heap"), s.duration("start-timeout"),
        s.integer("default-partitions", 1, 1024));
    if (java.util.stream.IntStream.of(k.port, k.controllerPort, k.securePort).distinct().count() < 3) {
      throw new InvalidConfigException(s.full("controller-port"), k.controllerPort + ", " + s.full("secure-port")
          + " = " + k.securePort, "ports different from each other and from " + s.full("port") + " = " + k.port);
    }
    return k;
  }

  public String bootstrapServers() {
    return host + ":" + port;
  }

  public String secureBootstrapServers() {
    return host + ":" + securePort;
  }
}
