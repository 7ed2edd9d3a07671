package dev.spoor.ingest.lander.tracker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The web site of spoor.js's end-to-end test: serves the test page ({@code e2e/shop.html}, at any
 * path under {@code /shop/}, so a reload after a History API navigation finds it) and the built
 * {@code spoor.min.js}, from one origin; and, on another port (another origin), the way to the real
 * collector, which the driver can switch ({@code POST /control/MODE} on the site): {@code forward}
 * (requests and answers pass unchanged, Origin and CORS headers included), {@code unavailable} (503
 * with {@code Retry-After: 2}, as the collector answers while Kafka is down), {@code refuse} (nothing
 * listens: connection refused).
 */
final class ShopSite implements AutoCloseable {
  private final HttpServer site;
  private final int gatewayPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private volatile HttpServer gateway;
  private volatile URI collector;
  private volatile boolean unavailable;

  private ShopSite(Path tracker) throws IOException {
    this.site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    site.createContext("/shop/", exchange -> file(exchange, tracker.resolve("e2e/shop.html"), "text/html"));
    site.createContext("/spoor.min.js", exchange -> file(exchange, tracker.resolve("dist/spoor.min.js"), "text/javascript"));
    site.createContext("/control/", this::control);
    site.start();
    this.gateway = gateway(0);
    this.gatewayPort = gateway.getAddress().getPort();
  }

  /** Serves the site; requests to the gateway fail until {@link #forwardTo} names the collector. */
  static ShopSite start(Path trackerPackage) throws IOException {
    return new ShopSite(trackerPackage);
  }

  void forwardTo(URI collectorBase) {
    this.collector = collectorBase;
  }

  String origin() {
    return "http://127.0.0.1:" + site.getAddress().getPort();
  }

  String pageUrl() {
    return origin() + "/shop/?collector=http://127.0.0.1:" + gatewayPort;
  }

  String controlUrl() {
    return origin() + "/control";
  }

  private HttpServer gateway(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/", this::pass);
    server.start();
    return server;
  }

  private void file(HttpExchange exchange, Path file, String type) throws IOException {
    byte[] body = Files.readAllBytes(file);
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private void control(HttpExchange exchange) throws IOException {
    String mode = exchange.getRequestURI().getPath().substring("/control/".length());
    synchronized (this) {
      switch (mode) {
        case "forward", "unavailable" -> {
          unavailable = mode.equals("unavailable");
          if (gateway == null) {
            gateway = gateway(gatewayPort);
          }
        }
        case "refuse" -> {
          if (gateway != null) {
            gateway.stop(0);
            gateway = null;
          }
        }
        default -> {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
      }
    }
    exchange.sendResponseHeaders(204, -1);
    exchange.close();
  }

  private void pass(HttpExchange exchange) throws IOException {
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (unavailable || collector == null) {
      if (origin != null) {
        exchange.getResponseHeaders().set("Access-Control-Allow-Origin", origin);
        exchange.getResponseHeaders().set("Access-Control-Expose-Headers", "Retry-After");
      }
      exchange.getResponseHeaders().set("Retry-After", "2");
      exchange.sendResponseHeaders(503, -1);
      exchange.close();
      return;
    }
    byte[] body = exchange.getRequestBody().readAllBytes();
    HttpRequest.Builder request = HttpRequest.newBuilder(collector.resolve(exchange.getRequestURI().toString()))
        .timeout(Duration.ofSeconds(30)).method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    for (String header : List.of("Origin", "Content-Type", "User-Agent")) {
      String value = exchange.getRequestHeaders().getFirst(header);
      if (value != null) {
        request.header(header, value);
      }
    }
    HttpResponse<byte[]> answer;
    try {
      answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    answer.headers().map().forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith("access-control-") || lower.equals("retry-after") || lower.equals("content-type")
          || lower.equals("vary")) {
        exchange.getResponseHeaders().put(name, values);
      }
    });
    byte[] out = answer.body();
    exchange.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      try (OutputStream stream = exchange.getResponseBody()) {
        stream.write(out);
      }
    }
    exchange.close();
  }

  @Override
  public void close() {
    site.stop(0);
    HttpServer server = gateway;
    if (server != null) {
      server.stop(0);
    }
  }
}
