package dev.spoor.ingest.collector.sink;

import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.Event;
import java.time.Duration;
import java.util.List;

/**
 * Where accepted events and bad rows go. {@link #publish} returns only once every record is durably
 * stored (for Kafka: acknowledged by all in-sync replicas), or throws; the collector answers 2xx only
 * after it returned.
 */
public interface EventSink extends AutoCloseable {
  void publish(List<Event> good, List<BadRow> bad, Duration timeout) throws SinkUnavailableException;

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
