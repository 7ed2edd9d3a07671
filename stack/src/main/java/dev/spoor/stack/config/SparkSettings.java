package dev.spoor.stack.config;

import dev.spoor.config.Settings;
import java.time.Duration;

/**
 * The optional local Spark standalone cluster: one master and {@code workers} workers (worker i's ports
 * are the configured ones plus 10 × (i − 1), see {@link ClusterNode}).
 */
public record SparkSettings(
    String host, int masterPort, int masterUiPort, int workerPort, int workerUiPort,
    int workerCores, long workerMemoryBytes, long heapBytes, Duration startTimeout, int workers) {

  /** These settings with {@code count} workers. */
  public SparkSettings withWorkers(int count) {
    return new SparkSettings(host, masterPort, masterUiPort, workerPort, workerUiPort, workerCores, workerMemoryBytes,
        heapBytes, startTimeout, count);
  }

  static SparkSettings from(Settings s) {
    return new SparkSettings(s.string("host"), s.port("master-port"), s.port("master-ui-port"),
        s.port("worker-port"), s.port("worker-ui-port"), s.integer("worker-cores", 1, 256),
        s.bytes("worker-memory"), s.bytes("heap"), s.duration("start-timeout"),
        s.integer("workers", 1, 9));
  }

  public String masterUrl() {
    return "spark://" + host + ":" + masterPort;
  }
}
