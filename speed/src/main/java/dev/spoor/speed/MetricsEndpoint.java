package dev.spoor.speed;

import com.sun.net.httpserver.HttpServer;
import dev.spoor.speed.decide.SpeedMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics} of the speed layer's driver: this JVM's speed meters in Prometheus text format
 * (Micrometer's registry, served by the JDK's HTTP server, as Micrometer's documentation does it).
 */
final class MetricsEndpoint implements AutoCloseable {
  private final HttpServer server;

  private MetricsEndpoint(HttpServer server) {
    this.server = server;
  }

  /** Serves on {@code port} (0: any free port) of {@code host}. */
  static MetricsEndpoint start(String host, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.createContext("/metrics", exchange -> {
      try (exchange) {
        if (!"GET".equals(exchange.getRequestMethod())) {
          exchange.sendResponseHeaders(405, -1);
          return;
        }
        byte[] body = SpeedMetrics.registry().scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    server.start();
    return new MetricsEndpoint(server);
  }

  String address() {
    return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/metrics";
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
