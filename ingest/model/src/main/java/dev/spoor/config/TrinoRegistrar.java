package dev.spoor.config;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Spoor's registration identity in Trino ({@code spoor.trino.registrar}): the only user that may
 * change the lake's catalog (create its schema, register and unregister tables); every other user
 * reads. It authenticates with a password over HTTPS, trusting {@code trustCertificate}; the local
 * stack's Trino refuses its name over plain HTTP, where users are not authenticated.
 *
 * @param url the JDBC URL of Trino's HTTPS port
 * @param trustCertificate the PEM certificate (or CA) the client trusts for that port
 */
public record TrinoRegistrar(String url, String user, Secret password, Path trustCertificate) {
  private static final int MIN_PASSWORD_BYTES = 16;

  public static TrinoRegistrar from(Config root, Path home) {
    Settings s = Settings.of(root, "spoor.trino.registrar");
    String user = s.string("user");
    if (!user.matches("[a-z][a-z0-9_]*")) {
      throw new InvalidConfigException(s.full("user"), user, "a lower-case name (letters, digits, _)");
    }
    return new TrinoRegistrar(s.string("url"), user, new Secret(s, "password", "password-file", home,
        MIN_PASSWORD_BYTES), s.path("trust-certificate", home));
  }

  /** The JDBC driver's properties: user, password, TLS with full verification against the certificate. */
  public Properties jdbcProperties() {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password.read());
    props.setProperty("SSL", "true");
    props.setProperty("SSLVerification", "FULL");
    props.setProperty("SSLTrustStorePath", trustCertificate.toString());
    return props;
  }
}
