package dev.spoor.ingest.collector.sink;

import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.Event;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where accepted events and bad rows go. {@link #publish} completes only once every record is durably
 * stored (for Kafka: acknowledged by all in-sync replicas), or exceptionally with a
 * {@link SinkUnavailableException} (also after {@code timeout}); no thread waits meanwhile. The
 * collector answers 2xx only after it completed.
 */
public interface EventSink extends AutoCloseable {
  CompletableFuture<Void> publish(List<Event> good, List<BadRow> bad, Duration timeout);

  /** True when the sink was reachable at its last check. */
  boolean isAvailable();

  @Override
  void close();

  /** The sink could not store everything in time; the client should retry later. */
  final class SinkUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public SinkUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
