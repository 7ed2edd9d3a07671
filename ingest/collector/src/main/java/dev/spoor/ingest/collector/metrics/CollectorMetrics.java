package dev.spoor.ingest.collector.metrics;

import dev.spoor.ingest.model.event.FailureType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The collector's Prometheus metrics, served at {@code /metrics}: requests by route and status with a
 * latency histogram, events accepted and rejected (by failure type), and Kafka send errors.
 * Thread-safe (Micrometer meters are).
 */
public final class CollectorMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter good;
  private final Counter kafkaErrors;

  public CollectorMetrics() {
    good = Counter.builder("spoor_collector_events").tag("outcome", "good").tag("failure_type", "none")
        .description("Events accepted (good) and rejected (bad, by failure type)").register(registry);
    kafkaErrors = Counter.builder("spoor_collector_kafka_send_errors")
        .description("Requests answered 503 because Kafka did not acknowledge").register(registry);
  }

  public void request(String route, int status, Duration elapsed) {
    Timer.builder("spoor_collector_requests")
        .description("HTTP requests by route and status")
        .tag("route", route).tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry)
        .record(elapsed);
  }

  public void good(int count) {
    good.increment(count);
  }

  public void bad(FailureType type, int count) {
    Counter.builder("spoor_collector_events").tag("outcome", "bad").tag("failure_type", type.wireName())
        .register(registry).increment(count);
  }

  public void kafkaError() {
    kafkaErrors.increment();
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }
}
