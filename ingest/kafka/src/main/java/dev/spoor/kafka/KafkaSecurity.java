package dev.spoor.kafka;

import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.Secret;
import dev.spoor.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How Spoor's Kafka clients authenticate and encrypt ({@code spoor.kafka.security}): the security
 * protocol, for {@code SASL_*} a SCRAM or PLAIN login whose password comes from the environment or a
 * file (never from the configuration file itself, never logged: Kafka and Spark hide
 * {@code sasl.jaas.config}), for {@code SSL}/{@code SASL_SSL} the PEM certificate (or CA) to trust
 * instead of the JVM's default trust store.
 */
public record KafkaSecurity(String protocol, Optional<Sasl> sasl, Optional<Path> trustCertificate) {
  private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  private static final Map<String, String> LOGIN_MODULES = Map.of(
      "SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule",
      "SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule",
      "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule");
  private static final int MIN_PASSWORD_BYTES = 8;

  public static final KafkaSecurity PLAINTEXT = new KafkaSecurity("PLAINTEXT", Optional.empty(), Optional.empty());

  /** A SASL login: mechanism, user name and the secret holding its password. */
  public record Sasl(String mechanism, String username, Secret password) {}

  static KafkaSecurity from(Settings s, Path home) {
    String protocol = s.string("protocol");
    if (!PROTOCOLS.contains(protocol)) {
      throw new InvalidConfigException(s.full("protocol"), protocol, "one of " + new java.util.TreeSet<>(PROTOCOLS));
    }
    Optional<Sasl> sasl = Optional.empty();
    if (protocol.startsWith("SASL_")) {
      Settings login = s.section("sasl");
      String mechanism = login.string("mechanism");
      if (!LOGIN_MODULES.containsKey(mechanism)) {
        throw new InvalidConfigException(login.full("mechanism"), mechanism,
            "one of " + new java.util.TreeSet<>(LOGIN_MODULES.keySet()));
      }
      sasl = Optional.of(new Sasl(mechanism, login.string("username"), password(login, home)));
    }
    Optional<Path> trust = Optional.empty();
    if (protocol.endsWith("SSL") && s.has("trust-certificate")) {
      trust = Optional.of(s.path("trust-certificate", home));
    }
    return new KafkaSecurity(protocol, sasl, trust);
  }

  /** The SASL password of {@code spoor.kafka.security.sasl}: {@code password} when set, else {@code password-file}. */
  public static Secret password(Settings sasl, Path home) {
    return new Secret(sasl, "password", "password-file", home, MIN_PASSWORD_BYTES);
  }

  /** The Kafka client properties for this protocol; reads the password (only when SASL is on). */
  Map<String, String> clientProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("security.protocol", protocol);
    sasl.ifPresent(login -> {
      props.put("sasl.mechanism", login.mechanism());
      props.put("sasl.jaas.config", LOGIN_MODULES.get(login.mechanism()) + " required username=\""
          + jaasQuoted(login.username()) + "\" password=\"" + jaasQuoted(login.password().read()) + "\";");
    });
    trustCertificate.ifPresent(pem -> {
      props.put("ssl.truststore.type", "PEM");
      props.put("ssl.truststore.location", pem.toString());
    });
    return props;
  }

  private static String jaasQuoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
