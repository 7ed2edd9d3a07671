package dev.spoor.ingest.collector.config;

import com.typesafe.config.Config;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.Settings;
import dev.spoor.ingest.model.compact.CompactLayouts;
import dev.spoor.ingest.model.pipeline.EnrichmentConfig;
import dev.spoor.ingest.model.schema.SchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the collector is configured with ({@code spoor.collector}, {@code spoor.kafka},
 * {@code spoor.ingest}), read and validated once at start-up.
 *
 * @param writeKeys active write key → the app id it authorises
 */
public record CollectorConfig(
    String host,
    int port,
    int ioThreads,
    int workerThreads,
    int maxInFlight,
    long maxBodyBytes,
    int maxEventsPerRequest,
    Set<String> allowedOrigins,
    Set<String> trackerAppIds,
    Map<String, String> writeKeys,
    dev.spoor.ingest.collector.http.TrustedProxies trustedProxies,
    Duration sendTimeout,
    Duration retryAfter,
    Duration readTimeout,
    dev.spoor.kafka.KafkaConnection kafka,
    String goodTopic,
    String badTopic,
    EnrichmentConfig enrichment,
    Config compactLayouts) {

  public CollectorConfig {
    allowedOrigins = Set.copyOf(allowedOrigins);
    trackerAppIds = Set.copyOf(trackerAppIds);
    writeKeys = Map.copyOf(writeKeys);
  }

  public static CollectorConfig from(Config root) {
    Settings spoor = Settings.of(root, "spoor");
    Path home = Path.of(spoor.string("home"));
    Settings c = spoor.section("collector");
    Settings kafka = spoor.section("kafka");
    Settings ingest = spoor.section("ingest");
    Map<String, String> keys = new HashMap<>();
    Config writeKeys = root.getConfig("spoor.collector.write-keys");
    for (String app : writeKeys.root().keySet()) {
      for (String key : writeKeys.getStringList("\"" + app + "\"")) {
        if (key.length() < 12) {
          throw new InvalidConfigException("spoor.collector.write-keys." + app, key,
              "write keys of at least 12 characters");
        }
        String previous = keys.put(key, app);
        if (previous != null && !previous.equals(app)) {
          throw new InvalidConfigException("spoor.collector.write-keys." + app, key,
              "a key used by one app only (also listed for " + previous + ")");
        }
      }
    }
    return new CollectorConfig(
        c.string("host"), c.port("port"), c.integer("io-threads", 1, 64), c.integer("worker-threads", 1, 4096),
        c.integer("max-in-flight", 1, 1_000_000),
        c.bytes("max-body"), c.integer("max-events-per-request", 1, 100_000),
        Set.copyOf(c.stringList("allowed-origins")), Set.copyOf(c.stringList("tracker-app-ids")), keys, trustedProxies(c.stringList("trusted-proxies")),
        c.duration("send-timeout"), c.duration("retry-after"), c.duration("read-timeout"),
        dev.spoor.kafka.KafkaConnection.from(kafka, home), kafka.string("topics.good"), kafka.string("topics.bad"),
        EnrichmentConfig.from(ingest, home),
        root.getConfig("spoor.ingest.compact.layouts"));
  }

  private static dev.spoor.ingest.collector.http.TrustedProxies trustedProxies(java.util.List<String> entries) {
    try {
      return new dev.spoor.ingest.collector.http.TrustedProxies(Set.copyOf(entries));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("spoor.collector.trusted-proxies", e.getMessage(), "IP addresses (IPv4 or IPv6)");
    }
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /** Loads the schema registry and the compact layouts this configuration names. */
  public CompactLayouts layouts(SchemaRegistry schemas) {
    return CompactLayouts.from(compactLayouts, "spoor.ingest.compact.layouts", schemas);
  }
}
