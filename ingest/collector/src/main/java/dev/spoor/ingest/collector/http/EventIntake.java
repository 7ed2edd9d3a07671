package dev.spoor.ingest.collector.http;

import dev.spoor.ingest.collector.metrics.CollectorMetrics;
import dev.spoor.ingest.collector.sink.EventSink;
import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.FailureType;
import dev.spoor.ingest.model.event.Processed;
import dev.spoor.ingest.model.pipeline.EventProcessor;
import dev.spoor.ingest.model.pipeline.ParsedEvent;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What every ingest route does once it has parsed a request: validate and enrich each event, publish
 * good events and bad rows together, and answer only after Kafka acknowledged them (503 with
 * {@code Retry-After} otherwise, so nothing is accepted and then dropped). Request-level rejections
 * (401, 403, 413, 415, 400) publish their bad row too when the request had a body.
 */
final class EventIntake {
  private final EventProcessor processor;
  private final EventSink sink;
  private final CollectorMetrics metrics;
  private final Duration sendTimeout;
  private final Duration retryAfter;

  EventIntake(EventProcessor processor, EventSink sink, CollectorMetrics metrics, Duration sendTimeout,
      Duration retryAfter) {
    this.processor = processor;
    this.sink = sink;
    this.metrics = metrics;
    this.sendTimeout = sendTimeout;
    this.retryAfter = retryAfter;
  }

  /** The good events, the bad rows and, per rejected event, its index and reasons. */
  record Outcome(List<Event> good, List<BadRow> bad, List<Map<String, Object>> rejections) {}

  Outcome process(List<ParsedEvent> parsed) {
    List<Event> good = new ArrayList<>();
    List<BadRow> bad = new ArrayList<>();
    List<Map<String, Object>> rejections = new ArrayList<>();
    for (int i = 0; i < parsed.size(); i++) {
      BadRow rejected = null;
      if (parsed.get(i) instanceof ParsedEvent.Rejected r) {
        rejected = r.badRow();
      } else if (parsed.get(i) instanceof ParsedEvent.Ok ok) {
        Processed processed = processor.process(ok.event());
        if (processed instanceof Processed.Good g) {
          good.add(g.event());
        } else if (processed instanceof Processed.Bad b) {
          rejected = b.badRow();
        }
      }
      if (rejected != null) {
        bad.add(rejected);
        Map<String, Object> rejection = new LinkedHashMap<>();
        rejection.put("index", i);
        rejection.put("failure_type", rejected.failureType().wireName());
        rejection.put("errors", rejected.errors());
        rejections.add(rejection);
      }
    }
    return new Outcome(good, bad, rejections);
  }

  /**
   * Publishes and counts, then runs {@code answer}; on failure answers 503. The calling thread is free
   * at once: the exchange is completed from Kafka's acknowledgement, on a worker thread, so no thread
   * waits for Kafka per request.
   */
  void publish(HttpServerExchange exchange, List<Event> good, List<BadRow> bad, Runnable answer) {
    if (good.isEmpty() && bad.isEmpty()) {
      answer.run();
      return;
    }
    CompletableFuture<Void> stored = sink.publish(good, bad, sendTimeout);
    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> stored.whenComplete((ok, error) ->
        exchange.getConnection().getWorker().execute(() -> {
          if (error != null) {
            metrics.kafkaError();
            unavailable(exchange, (error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error).getMessage());
            return;
          }
          metrics.good(good.size());
          for (BadRow row : bad) {
            metrics.bad(row.failureType(), 1);
          }
          answer.run();
        })));
  }

  void unavailable(HttpServerExchange exchange, String reason) {
    exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
    Http.json(exchange, 503, Map.of("error", "unavailable", "reason", reason,
        "retry_after_seconds", Math.max(1, retryAfter.toSeconds())));
  }

  /** Answers a rejected request, after publishing its bad row when there is one. */
  void reject(HttpServerExchange exchange, int status, String code, BadRow row, String reason) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", code);
    body.put("reason", reason);
    if (row != null) {
      body.put("failure_type", row.failureType().wireName());
    }
    publish(exchange, List.of(), row == null ? List.of() : List.of(row), () -> Http.json(exchange, status, body));
  }

  static BadRow requestBadRow(FailureType type, String reason, byte[] body, RequestMeta meta) {
    return BadRow.of(type, List.of(reason), WriteKeys.redacted(body), meta.context().collectorTstamp(), meta.context().source(),
        null, null);
  }
}
