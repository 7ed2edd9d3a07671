package dev.spoor.ingest.collector;

import dev.spoor.ingest.collector.config.CollectorConfig;
import dev.spoor.ingest.collector.http.CollectorRoutes;
import dev.spoor.ingest.collector.metrics.CollectorMetrics;
import dev.spoor.ingest.collector.sink.EventSink;
import dev.spoor.ingest.model.compact.CompactLayouts;
import dev.spoor.ingest.model.enrich.UserAgentParser;
import dev.spoor.ingest.model.pipeline.EventProcessor;
import dev.spoor.ingest.model.schema.SchemaRegistry;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.net.InetSocketAddress;

/**
 * The collector: an Undertow HTTP server in front of the event pipeline and a sink. Undertow was
 * chosen because it is small, embeddable without a framework, non-blocking with a worker pool for the
 * blocking wait on Kafka, and among the fastest JVM servers. Start with {@link #start}, stop with
 * {@link #close} (stops accepting, then flushes and closes the sink).
 */
public final class CollectorServer implements AutoCloseable {
  private final Undertow server;
  private final EventSink sink;

  public CollectorServer(CollectorConfig config, SchemaRegistry schemas, UserAgentParser userAgents, EventSink sink) {
    this.sink = sink;
    CompactLayouts layouts = config.layouts(schemas);
    EventProcessor processor = new EventProcessor(schemas, config.enrichment(), userAgents);
    CollectorRoutes routes = new CollectorRoutes(config, processor, layouts, sink, new CollectorMetrics());
    this.server = Undertow.builder()
        .addHttpListener(config.port(), config.host())
        .setIoThreads(config.ioThreads())
        .setWorkerThreads(config.workerThreads())
        .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 64 * 1024)
        .setServerOption(UndertowOptions.ALWAYS_SET_DATE, true)
        .setHandler(routes.handler())
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

  @Override
  public void close() {
    server.stop();
    sink.close();
  }
}
