package dev.spoor.config;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Who queries Trino for people ({@code spoor.trino}: {@code bin/spoor sql}, the demo's queries): its
 * JDBC URL and user, and, for a Trino that authenticates, a password (from the environment or a file,
 * never the configuration file) sent over TLS verified against {@code trustCertificate} (PEM; unset:
 * the JVM's trust store). Without a password, the user name alone, as the local stack's Trino takes
 * it over plain HTTP.
 */
public record TrinoReader(String url, String user, Optional<Secret> password, Optional<Path> trustCertificate) {
  private static final int MIN_PASSWORD_BYTES = 1;

  public static TrinoReader from(Config root, Path home) {
    Settings s = Settings.of(root, "spoor.trino");
    Optional<Secret> password = s.has("password") || s.has("password-file")
        ? Optional.of(new Secret(s, "password", "password-file", home, MIN_PASSWORD_BYTES)) : Optional.empty();
    Optional<Path> trust = s.has("trust-certificate") ? Optional.of(s.path("trust-certificate", home)) : Optional.empty();
    return new TrinoReader(s.string("url"), s.string("user"), password, trust);
  }

  /** The JDBC driver's properties: the user; with a password, the password over TLS with full verification. */
  public Properties jdbcProperties() {
    Properties props = new Properties();
    props.setProperty("user", user);
    password.ifPresent(secret -> {
      props.setProperty("password", secret.read());
      props.setProperty("SSL", "true");
      props.setProperty("SSLVerification", "FULL");
      trustCertificate.ifPresent(pem -> props.setProperty("SSLTrustStorePath", pem.toString()));
    });
    return props;
  }
}
