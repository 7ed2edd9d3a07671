package dev.spoor.stack.config;

import dev.spoor.config.Settings;
import java.time.Duration;

/** How the local stack runs the collector ({@code spoor.collector}); its own settings are read by the collector. */
public record CollectorSettings(String host, int port, long heapBytes, Duration startTimeout) {
  static CollectorSettings from(Settings s) {
    return new CollectorSettings(s.string("host"), s.port("port"), s.bytes("heap"), Duration.ofSeconds(90));
  }

  public String url() {
    return "http://" + host + ":" + port;
  }
}
