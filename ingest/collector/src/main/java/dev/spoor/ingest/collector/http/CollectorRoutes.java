package dev.spoor.ingest.collector.http;

import dev.spoor.ingest.collector.config.CollectorConfig;
import dev.spoor.ingest.collector.metrics.CollectorMetrics;
import dev.spoor.ingest.collector.sink.EventSink;
import dev.spoor.ingest.model.compact.BatchPayload;
import dev.spoor.ingest.model.compact.CompactLayouts;
import dev.spoor.ingest.model.event.FailureType;
import dev.spoor.ingest.model.pipeline.EventProcessor;
import dev.spoor.ingest.model.pipeline.RequestContext;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's routes, each timed and counted, each checked against the origin allowlist:
 *
 * <ul>
 *   <li>{@code GET /i}: Snowplow pixel, one event in the query string, answers a 1×1 GIF;
 *   <li>{@code POST /com.snowplowanalytics.snowplow/tp2}: Snowplow batch of events;
 *   <li>{@code POST /v1/batch}: compact batch (write key); {@code POST /v1/events}: JSON events (write key);
 *   <li>{@code OPTIONS} on each of those: CORS preflight;
 *   <li>{@code GET /health}: 200 when Kafka is reachable, else 503; {@code GET /metrics}: Prometheus.
 * </ul>
 */
public final class CollectorRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(CollectorRoutes.class);
  static final String TP2 = "/com.snowplowanalytics.snowplow/tp2";
  private static final Set<String> INGEST_PATHS = Set.of("/i", TP2, "/v1/batch", "/v1/events");

  private final CollectorConfig config;
  private final OriginPolicy origins;
  private final EventIntake intake;
  private final SnowplowRoutes snowplow;
  private final BatchRoutes batch;
  private final EventSink sink;
  private final CollectorMetrics metrics;
  private final LoadShedder shedder;

  public CollectorRoutes(CollectorConfig config, EventProcessor processor, CompactLayouts layouts, EventSink sink,
      CollectorMetrics metrics) {
    this.config = config;
    this.origins = new OriginPolicy(config.allowedOrigins());
    this.intake = new EventIntake(processor, sink, metrics, config.sendTimeout(), config.retryAfter());
    this.snowplow = new SnowplowRoutes(intake, config.maxBodyBytes(), config.maxEventsPerRequest(), config.trackerAppIds());
    this.batch = new BatchRoutes(intake, layouts, config.writeKeys(), config.maxBodyBytes(),
        config.maxEventsPerRequest());
    this.sink = sink;
    this.metrics = metrics;
    this.shedder = new LoadShedder(config.maxInFlight());
  }

  /**
   * The root handler. {@code /health} is answered on the I/O thread (it must answer however busy the
   * workers are). A request body is read without a thread waiting for it ({@link BodyReader}), within
   * the read timeout; only a complete body (or the first {@code max-body} bytes of one too large) is
   * handed to a worker thread, which validates and enriches it and sends it to Kafka; the exchange is
   * completed from Kafka's acknowledgement, so no thread waits for Kafka. A request is measured from
   * its arrival to its answer.
   */
  public HttpHandler handler() {
    HttpHandler bounded = exchange -> {
      if (!shedder.tryEnter()) {
        // Every place is taken (usually: Kafka is slow): refused at once, not queued.
        metrics.request("shed", 503, Duration.ZERO);
        origins.admit(exchange); // an allowed page may read the answer and its Retry-After (CORS)
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(config.retryAfter().toSeconds()));
        Http.error(exchange, 503, "overloaded", "the collector is at spoor.collector.max-in-flight requests; retry later");
        return;
      }
      long start = System.nanoTime();
      exchange.addExchangeCompleteListener((done, next) -> {
        shedder.leave();
        metrics.request(route(done.getRelativePath()), done.getStatusCode(), Duration.ofNanos(System.nanoTime() - start));
        next.proceed();
      });
      exchange.dispatch(this::route);
    };
    return exchange -> {
      if (exchange.getRelativePath().equals("/health") && exchange.getRequestMethod().equals(Methods.GET)) {
        health(exchange);
      } else if (exchange.getRequestMethod().equals(Methods.POST) && INGEST_PATHS.contains(exchange.getRelativePath())) {
        BodyReader.read(exchange, config.maxBodyBytes(), bounded);
      } else {
        bounded.handleRequest(exchange);
      }
    };
  }

  private void health(HttpServerExchange exchange) {
    long start = System.nanoTime();
    boolean up = sink.isAvailable();
    Http.json(exchange, up ? 200 : 503, Map.of("status", up ? "ready" : "unavailable", "kafka", up ? "reachable" : "unreachable"));
    metrics.request("/health", exchange.getStatusCode(), Duration.ofNanos(System.nanoTime() - start));
  }

  /** The route label of a path in the metrics (unknown paths share one, so labels stay bounded). */
  private static String route(String path) {
    return INGEST_PATHS.contains(path) || path.equals("/metrics") ? path : "other";
  }

  private void route(HttpServerExchange exchange) {
    String path = exchange.getRelativePath();
    try {
      dispatch(exchange, path);
    } catch (Exception e) {
      LOG.error("request to {} failed", path, e);
      if (!exchange.isResponseStarted()) {
        Http.error(exchange, 500, "internal_error", "the collector failed to handle this request; it is logged");
      }
    }
  }

  private void dispatch(HttpServerExchange exchange, String path) throws Exception {
    if (path.equals("/metrics") && exchange.getRequestMethod().equals(Methods.GET)) {
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
      exchange.getResponseSender().send(metrics.scrape(), StandardCharsets.UTF_8);
      return;
    }
    if (!INGEST_PATHS.contains(path)) {
      Http.error(exchange, 404, "not_found", "no route " + path);
      return;
    }
    if (exchange.getRequestMethod().equals(Methods.OPTIONS)) {
      origins.preflight(exchange);
      return;
    }
    RequestMeta meta = new RequestMeta(path, new RequestContext(Instant.now(),
        Http.clientAddress(exchange, config.trustedProxies()),
        exchange.getRequestHeaders().getFirst(Headers.USER_AGENT), source(path)));
    boolean get = exchange.getRequestMethod().equals(Methods.GET);
    boolean post = exchange.getRequestMethod().equals(Methods.POST);
    if (!(path.equals("/i") ? get : post)) {
      exchange.getResponseHeaders().put(Headers.ALLOW, path.equals("/i") ? "GET, OPTIONS" : "POST, OPTIONS");
      Http.error(exchange, 405, "method_not_allowed", exchange.getRequestMethod() + " is not accepted on " + path);
      return;
    }
    if (!origins.admit(exchange)) {
      String reason = "origin " + origins.origin(exchange) + " is not in spoor.collector.allowed-origins";
      byte[] body = post ? Http.body(exchange).bytes()
          : String.valueOf(exchange.getQueryString()).getBytes(StandardCharsets.UTF_8);
      intake.reject(exchange, 403, "origin_not_allowed", body.length == 0 ? null
          : EventIntake.requestBadRow(FailureType.ORIGIN, "origin: " + reason, body, meta), reason);
      return;
    }
    switch (path) {
      case "/i" -> snowplow.pixel(exchange, meta.context());
      case TP2 -> snowplow.post(exchange, meta);
      case "/v1/batch" -> batch.handle(exchange, meta, BatchPayload.Format.COMPACT);
      default -> batch.handle(exchange, meta, BatchPayload.Format.OBJECTS);
    }
  }

  private static String source(String path) {
    return switch (path) {
      case "/i" -> "snowplow-get";
      case TP2 -> "snowplow-post";
      case "/v1/batch" -> "spoor-batch";
      default -> "spoor-events";
    };
  }
}
