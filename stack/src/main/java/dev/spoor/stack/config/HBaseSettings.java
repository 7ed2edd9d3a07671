package dev.spoor.stack.config;

import dev.spoor.config.Settings;
import java.time.Duration;

/** The local standalone HBase: master, regionserver and ZooKeeper in one JVM. */
public record HBaseSettings(
    String host, int zookeeperPort, int masterPort, int regionServerPort, long heapBytes,
    Duration startTimeout) {

  static HBaseSettings from(Settings s) {
    return new HBaseSettings(s.string("host"), s.port("zookeeper-port"), s.port("master-port"),
        s.port("regionserver-port"), s.bytes("heap"), s.duration("start-timeout"));
  }
}
