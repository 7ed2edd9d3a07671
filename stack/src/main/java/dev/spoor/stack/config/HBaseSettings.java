package dev.spoor.stack.config;

import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.Settings;
import java.time.Duration;
import java.util.List;

/**
 * The local HBase. Standalone: master, region server and ZooKeeper in one JVM on the local disk.
 * Distributed: ZooKeeper, a master and {@code regionServers} region servers, each its own process,
 * storing on {@code rootDir} (HDFS); region server i's port is the configured one plus 10 × (i − 1).
 */
public record HBaseSettings(
    String host, int zookeeperPort, int masterPort, int regionServerPort, long heapBytes,
    Duration startTimeout, boolean distributed, int regionServers, String rootDir) {

  /** These settings in standalone or distributed mode, with {@code count} region servers. */
  public HBaseSettings withMode(boolean distributedMode, int count) {
    return new HBaseSettings(host, zookeeperPort, masterPort, regionServerPort, heapBytes, startTimeout, distributedMode,
        count, rootDir);
  }

  static HBaseSettings from(Settings s) {
    String mode = s.string("mode");
    if (!List.of("standalone", "distributed").contains(mode)) {
      throw new InvalidConfigException(s.full("mode"), mode, "standalone or distributed");
    }
    return new HBaseSettings(s.string("host"), s.port("zookeeper-port"), s.port("master-port"),
        s.port("regionserver-port"), s.bytes("heap"), s.duration("start-timeout"), mode.equals("distributed"),
        s.integer("region-servers", 1, 9), s.string("root-dir"));
  }

  /** The region servers of distributed mode. */
  public List<ClusterNode> regionServerNodes() {
    return ClusterNode.of(regionServers);
  }
}
