package dev.spoor.stack.config;

import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.Settings;
import java.time.Duration;

/**
 * The local HDFS: a NameNode (RPC and HTTP ports) and a DataNode (data transfer port; its HTTP and IPC
 * ports are picked free at start), each its own JVM, replication 1. Started by {@code up hdfs}, for a
 * lake ({@code spoor.lake.root = "hdfs://…"}) or HBase on a distributed file system.
 */
public record HdfsSettings(String host, int namenodePort, int httpPort, int datanodePort, long heapBytes,
    Duration startTimeout) {

  static HdfsSettings from(Settings s) {
    HdfsSettings h = new HdfsSettings(s.string("host"), s.port("namenode-port"), s.port("http-port"),
        s.port("datanode-port"), s.bytes("heap"), s.duration("start-timeout"));
    if (java.util.stream.IntStream.of(h.namenodePort, h.httpPort, h.datanodePort).distinct().count() < 3) {
      throw new InvalidConfigException(s.full("namenode-port"), h.namenodePort + ", " + s.full("http-port") + " = "
          + h.httpPort + ", " + s.full("datanode-port") + " = " + h.datanodePort, "three different ports");
    }
    return h;
  }

  /** The file system's URI, the prefix of every path on it: {@code hdfs://127.0.0.1:8020}. */
  public String uri() {
    return "hdfs://" + host + ":" + namenodePort;
  }

  public String httpUrl() {
    return "http://" + host + ":" + httpPort;
  }
}
