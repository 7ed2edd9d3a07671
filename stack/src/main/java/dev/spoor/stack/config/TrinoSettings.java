package dev.spoor.stack.config;

import dev.spoor.config.Settings;
import java.nio.file.Path;
import java.time.Duration;

/** The local Trino coordinator (also its only worker) with a Delta Lake catalog over the lake. */
public record TrinoSettings(
    String host, int port, String version, Path javaHome, long heapBytes, Duration startTimeout,
    String catalog) {

  static TrinoSettings from(Settings s) {
    String catalog = s.string("catalog");
    if (!catalog.matches("[a-z][a-z0-9_]*")) {
      throw new dev.spoor.config.InvalidConfigException(s.full("catalog"), catalog,
          "a lower-case SQL identifier");
    }
    return new TrinoSettings(s.string("host"), s.port("port"), s.string("version"),
        Path.of(s.string("java-home")), s.bytes("heap"), s.duration("start-timeout"), catalog);
  }

  public String jdbcUrl() {
    return "jdbc:trino://" + host + ":" + port + "/" + catalog;
  }

  public String httpUrl() {
    return "http://" + host + ":" + port;
  }
}
