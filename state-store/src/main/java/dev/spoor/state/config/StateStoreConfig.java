package dev.spoor.state.config;

import com.typesafe.config.Config;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.Settings;
import java.time.Duration;

/**
 * The state store's settings ({@code spoor.state}), validated at start-up: where HBase's ZooKeeper
 * is, the namespace and tables, how many salt buckets (pre-split regions) the user table has, how many
 * published versions each cell keeps (how far back a rollback can go), the reader's cache size and
 * how long it trusts the committed version it read, the retry policy when HBase is unavailable, and
 * {@code client}: any other HBase client setting ({@code spoor.state.client}, e.g. a cluster's
 * {@code zookeeper.znode.parent} or security settings), over an {@code hbase-site.xml} on the
 * classpath ({@code HBASE_CONF_DIR}, which {@code bin/spoor} puts there).
 */
public record StateStoreConfig(String zookeeperQuorum, int zookeeperPort, String namespace, String userTable,
    String metaTable, int saltBuckets, int versionsKept, long cacheEntries, Duration commitCheckInterval,
    int attempts, Duration backoff, Duration maxBackoff, Duration operationTimeout, java.util.Map<String, String> client)
    implements java.io.Serializable {
  private static final long serialVersionUID = 2L;

  public StateStoreConfig {
    client = java.util.Map.copyOf(client);
  }

  public static StateStoreConfig from(Config root) {
    Settings s = Settings.of(root, "spoor.state");
    int buckets = s.integer("salt-buckets", 1, 256);
    int versions = s.integer("versions-kept", 2, 1000);
    StateStoreConfig config = new StateStoreConfig(s.string("zookeeper-quorum"), s.port("zookeeper-port"),
        s.string("namespace"), s.string("user-table"), s.string("meta-table"), buckets, versions,
        s.integer("cache-entries", 0, 10_000_000), s.duration("commit-check-interval"),
        s.integer("retry.attempts", 1, 100), s.duration("retry.backoff"), s.duration("retry.max-backoff"),
        s.duration("operation-timeout"), s.stringMap("client"));
    if (config.backoff().compareTo(config.maxBackoff()) > 0) {
      throw new InvalidConfigException("spoor.state.retry.backoff", config.backoff(), "at most retry.max-backoff");
    }
    if (!config.namespace().matches("[A-Za-z0-9_]+")) {
      throw new InvalidConfigException("spoor.state.namespace", config.namespace(), "letters, digits and '_'");
    }
    return config;
  }

  /**
   * The HBase client configuration: the quorum, client-side retries kept short (ours are above them),
   * then {@code client}'s settings.
   */
  public org.apache.hadoop.conf.Configuration hbase() {
    org.apache.hadoop.conf.Configuration conf = org.apache.hadoop.hbase.HBaseConfiguration.create();
    conf.set("hbase.zookeeper.quorum", zookeeperQuorum);
    conf.setInt("hbase.zookeeper.property.clientPort", zookeeperPort);
    conf.setInt("hbase.client.retries.number", 3);
    conf.setLong("hbase.client.pause", 100);
    conf.setLong("hbase.rpc.timeout", operationTimeout.toMillis());
    conf.setLong("hbase.client.operation.timeout", operationTimeout.toMillis());
    conf.setLong("hbase.client.meta.operation.timeout", operationTimeout.toMillis());
    // Fail fast when ZooKeeper (and so HBase) is gone: our retry policy decides how long to wait.
    conf.setInt("zookeeper.recovery.retry", 0);
    conf.setInt("zookeeper.session.timeout", (int) Math.max(4000, operationTimeout.toMillis() * 2));
    client.forEach(conf::set);
    return conf;
  }

  /**
   * The client configuration of buffered writes (a {@code BufferedMutator}, which owns its buffer, so
   * our {@link dev.spoor.state.Retry} cannot wrap its calls): the client itself retries as our policy
   * would, {@code retry.attempts} times from {@code retry.backoff}, for at most
   * {@code retry.attempts × (operation-timeout + retry.max-backoff)} in all, so a batch write outlasts
   * a region server's death (its regions reassigned) as a read does. {@code client}'s settings last.
   */
  public org.apache.hadoop.conf.Configuration hbaseForBufferedWrites() {
    org.apache.hadoop.conf.Configuration conf = hbase();
    conf.setInt("hbase.client.retries.number", attempts);
    conf.setLong("hbase.client.pause", backoff.toMillis());
    conf.setLong("hbase.client.operation.timeout", attempts * (operationTimeout.toMillis() + maxBackoff.toMillis()));
    client.forEach(conf::set);
    return conf;
  }

  /** The same settings with another namespace (tests and benchmarks keep their tables apart). */
  public StateStoreConfig withNamespace(String other) {
    return new StateStoreConfig(zookeeperQuorum, zookeeperPort, other, userTable, metaTable, saltBuckets, versionsKept,
        cacheEntries, commitCheckInterval, attempts, backoff, maxBackoff, operationTimeout, client);
  }
}
