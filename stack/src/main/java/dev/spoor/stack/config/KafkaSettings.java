package dev.spoor.stack.config;

import dev.spoor.config.Settings;
import java.time.Duration;

/** The local single-node KRaft broker. */
public record KafkaSettings(
    String host, int port, int controllerPort, long heapBytes, Duration startTimeout,
    int defaultPartitions) {

  static KafkaSettings from(Settings s) {
    KafkaSettings k = new KafkaSettings(s.string("host"), s.port("port"), s.port("controller-port"),
        s.bytes("heap"), s.duration("start-timeout"), s.integer("default-partitions", 1, 1024));
    if (k.port == k.controllerPort) {
      throw new dev.spoor.config.InvalidConfigException(s.full("controller-port"), k.controllerPort,
          "a port different from " + s.full("port"));
    }
    return k;
  }

  public String bootstrapServers() {
    return host + ":" + port;
  }
}
