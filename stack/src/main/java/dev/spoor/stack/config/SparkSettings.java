package dev.spoor.stack.config;

import dev.spoor.config.Settings;
import java.time.Duration;

/** The optional local Spark standalone cluster: one master and one worker. */
public record SparkSettings(
    String host, int masterPort, int masterUiPort, int workerPort, int workerUiPort,
    int workerCores, long workerMemoryBytes, long heapBytes, Duration startTimeout) {

  static SparkSettings from(Settings s) {
    return new SparkSettings(s.string("host"), s.port("master-port"), s.port("master-ui-port"),
        s.port("worker-port"), s.port("worker-ui-port"), s.integer("worker-cores", 1, 256),
        s.bytes("worker-memory"), s.bytes("heap"), s.duration("start-timeout"));
  }

  public String masterUrl() {
    return "spark://" + host + ":" + masterPort;
  }
}
