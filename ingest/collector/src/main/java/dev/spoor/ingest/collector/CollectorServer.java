package dev.spoor.ingest.collector;

import dev.spoor.ingest.collector.config.CollectorConfig;
import dev.spoor.ingest.collector.http.CollectorRoutes;
import dev.spoor.ingest.collector.metrics.CollectorMetrics;
import dev.spoor.ingest.collector.sink.EventSink;
import dev.spoor.ingest.model.compact.CompactLayouts;
import dev.spoor.ingest.model.enrich.UserAgentParser;
import dev.spoor.ingest.model.pipeline.EventProcessor;
import dev.spoor.ingest.model.schema.SchemaRegistry;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.net.InetSocketAddress;

/**
 * The collector: an Undertow HTTP server in front of the event pipeline and a sink. Undertow was
 * chosen because it is small, embeddable without a framework, non-blocking with a worker pool for the
 * blocking wait on Kafka, and among the fastest JVM servers. Start with {@link #start}, stop with
 * {@link #close} (stops accepting, lets in-flight requests finish, then flushes and closes the sink).
 */
public final class CollectorServer implements AutoCloseable {
  private final Undertow server;
  private final EventSink sink;
  private final GracefulShutdownHandler inFlight;
  private final java.time.Duration drain;

  public CollectorServer(CollectorConfig config, SchemaRegistry schemas, UserAgentParser userAgents, EventSink sink) {
    this.sink = sink;
    CompactLayouts layouts = config.layouts(schemas);
    EventProcessor processor = new EventProcessor(schemas, config.enrichment(), userAgents);
    CollectorRoutes routes = new CollectorRoutes(config, processor, layouts, sink, new CollectorMetrics());
    this.inFlight = Handlers.gracefulShutdown(routes.handler());
    // In-flight requests wait for Kafka at most send-timeout; a bound below bin/spoor down's grace period.
    this.drain = config.sendTimeout().plusSeconds(2);
    this.server = Undertow.builder()
        .addHttpListener(config.port(), config.host())
        .setIoThreads(config.ioThreads())
        .setWorkerThreads(config.workerThreads())
        .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 64 * 1024)
        // Slow clients: headers, each body read and an idle keep-alive connection are bounded in time.
        .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) config.readTimeout().toMillis())
        .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) config.readTimeout().toMillis())
        .setSocketOption(org.xnio.Options.READ_TIMEOUT, (int) config.readTimeout().toMillis())
        .setServerOption(UndertowOptions.ALWAYS_SET_DATE, true)
        .setHandler(inFlight)
        .build();
  }

  public CollectorServer start() {
    server.start();
    return this;
  }

  /** The bound address (useful when the configured port is 0). */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
  }

  /**
   * Stops accepting requests (new ones are answered 503), lets those in flight finish (they answer only
   * what Kafka acknowledged) for at most send-timeout + 2 s, then stops the server and flushes and
   * closes the producer.
   */
  @Override
  public void close() {
    inFlight.shutdown();
    try {
      inFlight.awaitShutdown(drain.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.stop();
    sink.close();
  }
}
