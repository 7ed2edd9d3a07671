package dev.spoor.kafka;

import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * How every Spoor component reaches Kafka ({@code spoor.kafka}): the bootstrap servers, the security
 * settings, and any other Kafka client property ({@code spoor.kafka.client}, passed as is to every
 * producer, consumer and admin client, and to Spark's Kafka source and sink as {@code kafka.*}).
 * The collector, the lander, the speed layer and the topic provisioning all build their clients from
 * it, so a cluster's settings are written once.
 */
public record KafkaConnection(String bootstrapServers, KafkaSecurity security, Map<String, String> client) {
  public KafkaConnection {
    client = Map.copyOf(client);
  }

  /** A broker without authentication (tests, tools). */
  public static KafkaConnection plaintext(String bootstrapServers) {
    return new KafkaConnection(bootstrapServers, KafkaSecurity.PLAINTEXT, Map.of());
  }

  /** Reads {@code spoor.kafka}'s bootstrap servers, security and client sections. */
  public static KafkaConnection from(Settings kafka, Path home) {
    Map<String, String> client = kafka.stringMap("client");
    for (String key : client.keySet()) {
      if (key.equals("bootstrap.servers") || key.startsWith("security.") || key.startsWith("sasl.")) {
        throw new InvalidConfigException(kafka.full("client") + "." + key, client.get(key),
            "set in " + kafka.full("bootstrap-servers") + " or " + kafka.full("security") + ", not here");
      }
    }
    return new KafkaConnection(kafka.string("bootstrap-servers"),
        KafkaSecurity.from(kafka.section("security"), home), client);
  }

  /** Every client property: bootstrap servers, security (reading its password), then the client section. */
  public Map<String, String> clientProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("bootstrap.servers", bootstrapServers);
    props.putAll(security.clientProperties());
    props.putAll(client);
    return props;
  }

  /** {@link #clientProperties()} plus a component's own settings, for a producer, consumer or admin. */
  public Properties properties(Map<String, ?> own) {
    Properties props = new Properties();
    props.putAll(own);
    props.putAll(clientProperties());
    return props;
  }

  /** The options of Spark's Kafka source and sink: every client property prefixed {@code kafka.}. */
  public Map<String, String> sparkOptions() {
    Map<String, String> options = new LinkedHashMap<>();
    clientProperties().forEach((key, value) -> options.put("kafka." + key, value));
    return options;
  }

  @Override
  public String toString() {
    return "Kafka[" + bootstrapServers + ", " + security.protocol() + "]";
  }
}
