package dev.spoor.bench.collector;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.spoor.bench.BenchmarkReport;
import dev.spoor.bench.LatencyRecorder;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.ingest.collector.CollectorServer;
import dev.spoor.ingest.collector.config.CollectorConfig;
import dev.spoor.ingest.collector.sink.KafkaEventSink;
import dev.spoor.ingest.model.enrich.YauaaUserAgentParser;
import dev.spoor.ingest.model.schema.SchemaRegistry;
import dev.spoor.stack.LocalStack;
import dev.spoor.stack.config.StackConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Collector throughput and latency for batches of 1 and 50 events (compact format, {@code POST
 * /v1/batch}, C concurrent HTTP clients, each request answered after Kafka acknowledged), beside the
 * same records sent by a bare Kafka producer with the same settings (the floor the collector builds
 * on). Runs against the local stack's Kafka (started if needed) on topics of its own.
 *
 * <p>Usage: {@code bin/spoor bench collector [--requests N] [--concurrency C]}
 */
public final class CollectorBenchmark {
  private static final String KEY = "wk_shop_2026_a";

  private record Result(String name, int batch, int requests, long events, double seconds, LatencyRecorder latency,
      int failures) {
    double eventsPerSecond() {
      return events / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    int requests = intArg(args, "--requests", 4000);
    int concurrency = intArg(args, "--concurrency", 16);
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
    LocalStack stack = LocalStack.fromHome(home);
    stack.up(List.of("kafka"), System.out::println);
    StackConfig stackConfig = stack.config();

    String run = UUID.randomUUID().toString().substring(0, 8);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Config config = ConfigFactory.parseMap(Map.of(
            "spoor.collector.port", port,
            "spoor.collector.max-events-per-request", 1000,
            "spoor.kafka.topics.good", "bench.good." + run,
            "spoor.kafka.topics.bad", "bench.bad." + run))
        .withFallback(SpoorConfigLoader.load(home)).resolve();
    CollectorConfig collectorConfig = CollectorConfig.from(config);
    SchemaRegistry schemas = SchemaRegistry.load(collectorConfig.enrichment().schemasDir());
    List<Result> results = new ArrayList<>();
    try (CollectorServer server = new CollectorServer(collectorConfig, schemas,
        new YauaaUserAgentParser(collectorConfig.enrichment().userAgentCache()),
        new KafkaEventSink(collectorConfig.bootstrapServers(), collectorConfig.goodTopic(),
            collectorConfig.badTopic(), collectorConfig.sendTimeout())).start()) {
      String url = "http://127.0.0.1:" + port + "/v1/batch";
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .executor(Executors.newFixedThreadPool(4)).build();
      // Warm-up: JIT, connections, topic creation, YAUAA's cache.
      collector(http, url, 1, Math.min(500, requests), concurrency);
      collector(http, url, 50, Math.min(100, requests), concurrency);
      results.add(collector(http, url, 1, requests, concurrency));
      results.add(collector(http, url, 50, Math.max(1, requests / 5), concurrency));
    }
    String baselineTopic = "bench.baseline." + run;
    try (KafkaProducer<byte[], byte[]> producer = producer(stackConfig.kafka().bootstrapServers())) {
      producerOnly(producer, baselineTopic, 1, Math.min(500, requests), concurrency);
      results.add(producerOnly(producer, baselineTopic, 1, requests, concurrency));
      results.add(producerOnly(producer, baselineTopic, 50, Math.max(1, requests / 5), concurrency));
    }

    String table = table(results, requests, concurrency);
    System.out.println(table);
    BenchmarkReport.write(home.resolve("docs/BENCHMARKS.md"), "collector", table);
    System.out.println("written to docs/BENCHMARKS.md");
    System.exit(results.stream().anyMatch(r -> r.failures() > 0) ? 1 : 0);
  }

  /** One unit of load: the i-th request of the worker; returns false when it failed. */
  private interface Request {
    boolean send(int worker, int i) throws Exception;
  }

  /** Runs {@code requests} requests from {@code concurrency} threads, timing each. */
  private static Result run(String name, int batch, int requests, int concurrency, Request request) throws Exception {
    LatencyRecorder latency = new LatencyRecorder(requests);
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long start = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      int worker = w;
      workers.add(pool.submit(() -> {
        int i;
        while ((i = next.getAndIncrement()) < requests) {
          long t0 = System.nanoTime();
          try {
            if (!request.send(worker, i)) {
              failures.incrementAndGet();
            }
          } catch (Exception e) {
            failures.incrementAndGet();
          }
          latency.record(System.nanoTime() - t0);
        }
        return null;
      }));
    }
    for (Future<?> f : workers) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    return new Result(name, batch, requests, (long) requests * batch, seconds, latency, failures.get());
  }

  private static Result collector(HttpClient http, String url, int batch, int requests, int concurrency)
      throws Exception {
    return run("collector (HTTP → validate → enrich → Kafka ack)", batch, requests, concurrency, (worker, i) ->
        http.send(HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json").header("X-Spoor-Write-Key", KEY)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body(batch, worker, i))).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }

  private static Result producerOnly(KafkaProducer<byte[], byte[]> producer, String topic, int batch, int requests,
      int concurrency) throws Exception {
    byte[] value = sampleEventJson();
    return run("Kafka producer only (same records, same settings)", batch, requests, concurrency, (worker, i) -> {
      List<Future<RecordMetadata>> acks = new ArrayList<>(batch);
      for (int e = 0; e < batch; e++) {
        acks.add(producer.send(new ProducerRecord<>(topic, ("u-" + (i % 1000)).getBytes(StandardCharsets.UTF_8), value)));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get(30, TimeUnit.SECONDS);
      }
      return true;
    });
  }

  private static byte[] body(int batch, int worker, int request) {
    StringBuilder events = new StringBuilder();
    for (int e = 0; e < batch; e++) {
      if (e > 0) {
        events.append(',');
      }
      events.append("[\"add_to_cart\",\"").append(UUID.randomUUID()).append("\",1763639990000,[\"sku-")
          .append(request % 997).append("\",19.99,2,\"EUR\"]]");
    }
    return ("{\"sent_at\":1763639995000,\"meta\":{\"user_id\":\"u-" + (request % 1000) + "\",\"domain_sessionid\":\"s-"
        + worker + "\",\"useragent\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        + "Chrome/120.0.0.0 Safari/537.36\"},\"events\":[" + events + "]}").getBytes(StandardCharsets.UTF_8);
  }

  /** A representative good event as the collector would publish it (~1 KB). */
  private static byte[] sampleEventJson() {
    return ("{\"event_id\":\"" + UUID.randomUUID() + "\",\"app_id\":\"shop\",\"platform\":\"web\",\"event_name\":\"add_to_cart\","
        + "\"schema\":\"iglu:com.acme/add_to_cart/jsonschema/1-1-0\",\"user_id\":\"u-1\",\"domain_userid\":null,"
        + "\"domain_sessionid\":\"s-1\",\"dvce_created_tstamp\":\"2025-11-20T11:59:50Z\",\"dvce_sent_tstamp\":\"2025-11-20T11:59:55Z\","
        + "\"true_tstamp\":null,\"collector_tstamp\":\"2026-11-20T12:00:00Z\",\"derived_tstamp\":\"2026-11-20T11:59:55Z\","
        + "\"page_url\":null,\"page_referrer\":null,\"useragent\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
        + "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\",\"ua_browser\":\"Chrome\",\"ua_browser_version\":\"120\","
        + "\"ua_os\":\"Windows NT\",\"ua_device_class\":\"Desktop\",\"user_ipaddress\":\"127.0.0.0\","
        + "\"properties\":\"{\\\"sku\\\":\\\"sku-1\\\",\\\"price\\\":19.99,\\\"quantity\\\":2,\\\"currency\\\":\\\"EUR\\\"}\","
        + "\"contexts\":\"[]\",\"event_fingerprint\":\"0123456789abcdef0123456789abcdef\",\"event_date\":\"2026-11-20\","
        + "\"tracker\":\"spoor-batch\",\"source\":\"spoor-batch\",\"quality_flags\":[]}").getBytes(StandardCharsets.UTF_8);
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static String table(List<Result> results, int requests, int concurrency) {
    StringBuilder md = new StringBuilder();
    md.append("## Collector throughput and latency\n\n");
    md.append("Command: `bin/spoor bench collector --requests ").append(requests).append(" --concurrency ")
        .append(concurrency).append("` (run on ").append(LocalDate.now()).append(", ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores; collector, Kafka and the load generator ")
        .append("share the machine). Compact batches to `POST /v1/batch`, ").append(concurrency)
        .append(" concurrent HTTP/1.1 clients; every request is answered after Kafka (`acks=all`, idempotent, lz4) ")
        .append("acknowledged. Batches of 50 use a fifth of the requests. Peer: a bare Kafka producer sending records of ")
        .append("the same size with the same settings from the same number of threads.\n\n");
    md.append("| path | events/request | requests | events | events/s | p50 ms | p99 ms | failures |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Result r : results) {
      md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %,.0f | %.1f | %.1f | %d |%n", r.name(), r.batch(),
          r.requests(), r.events(), r.eventsPerSecond(), r.latency().percentileMillis(0.50),
          r.latency().percentileMillis(0.99), r.failures()));
    }
    return md.toString();
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        try {
          return Integer.parseInt(args[i + 1]);
        } catch (NumberFormatException e) {
          System.err.println("spoor bench: " + name + " takes a whole number, not '" + args[i + 1] + "'");
          System.exit(2);
        }
      }
    }
    return fallback;
  }
}
