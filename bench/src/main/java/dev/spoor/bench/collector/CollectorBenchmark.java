package dev.spoor.bench.collector;

import dev.spoor.bench.BenchmarkReport;
import dev.spoor.bench.ModuleProcess;
import dev.spoor.stack.LocalStack;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The collector at fixed arrival rates (open loop), beside a bare Kafka producer sending the same
 * records with the same settings at the same rates from the same number of clients: for single
 * tracker page views ({@code POST tp2}) and for compact batches of 50, a ladder of rates per path,
 * each step {@code --seconds} long, stopping when two steps in a row miss p99 ≤ 100 ms or have a
 * failure. A request counts as good only when its answer says every event was accepted. Then the
 * collector under attack (200 slow-body connections and 1 000 junk requests/s) at the single-event
 * goal ({@code --attack-rate}, 5 000/s), against the same rate without the attack, with {@code /health} probed
 * throughout. The collector runs as deployed, in a JVM of its own ({@code CollectorMain}); the
 * generator and the peer producer in this one; Kafka is the local stack's.
 *
 * <p>Usage: {@code bin/spoor bench collector [--seconds S] [--clients C] [--attack-rate R]}
 */
public final class CollectorBenchmark {
  private static final double[] SINGLE_RATES = {1000, 2000, 3000, 4000, 5000, 6000, 8000, 10000, 13000, 16000, 20000,
      25000, 30000};
  private static final double[] BATCH_RATES = {100, 200, 400, 700, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000,
      10000, 13000, 16000, 20000};
  private static final int BATCH = 50;
  private static final double P99_TARGET_MS = 100;
  private static final double WARM_UP_SECONDS = 10;
  private static final int SAMPLE = 20_000;

  private record Row(String path, int events, OpenLoop.Step step) {
    boolean passed() {
      return step.failed() == 0 && step.p99() <= P99_TARGET_MS;
    }
  }

  public static void main(String[] args) throws Exception {
    double seconds = intArg(args, "--seconds", 10);
    int clients = intArg(args, "--clients", 128);
    int attackRate = intArg(args, "--attack-rate", 5000);
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
    LocalStack stack = LocalStack.fromHome(home);
    stack.up(List.of("kafka"), System.out::println);
    String bootstrap = stack.config().kafka().bootstrapServers();
    String run = UUID.randomUUID().toString().substring(0, 8);
    String goodTopic = "bench.good." + run;
    String peerTopic = "bench.peer." + run;
    int port = freePort();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    List<Row> rows = new ArrayList<>();
    long acknowledged = 0;
    String attack;
    List<byte[]> views = Requests.pageViews(4096, 20_000, 1);
    List<byte[]> batches = Requests.compactBatches(1024, BATCH, 20_000, 2);
    try (ModuleProcess collector = ModuleProcess.start(home, "ingest/collector", "dev.spoor.ingest.collector.CollectorMain",
        ModuleProcess.answers("http://127.0.0.1:" + port + "/health"), Map.of("spoor.collector.port", port, "spoor.kafka.topics.good", goodTopic,
            "spoor.kafka.topics.bad", "bench.bad." + run), home.resolve("var/bench/collector-" + run + ".log"));
        KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
      createLike(bootstrap, goodTopic, peerTopic);
      IntFunction<OpenLoop.Client> single = w -> http(address, views);
      IntFunction<OpenLoop.Client> batch = w -> http(address, batches);
      acknowledged += OpenLoop.run(2000, WARM_UP_SECONDS, clients, single).good(); // warm-up: JIT, connections, caches
      acknowledged += ladder(rows, "collector (HTTP → validate → enrich → Kafka ack)", 1, SINGLE_RATES, seconds, clients, single);
      acknowledged += OpenLoop.run(200, WARM_UP_SECONDS, clients, batch).good() * BATCH;
      acknowledged += ladder(rows, "collector (HTTP → validate → enrich → Kafka ack)", BATCH, BATCH_RATES, seconds, clients, batch);

      List<ProducerRecord<byte[], byte[]>> pageViews = sample(bootstrap, goodTopic, "\"page_view\"");
      List<ProducerRecord<byte[], byte[]>> addToCarts = sample(bootstrap, goodTopic, "\"add_to_cart\"");
      OpenLoop.run(2000, WARM_UP_SECONDS, clients, w -> peer(producer, peerTopic, pageViews, 1));
      ladder(rows, "Kafka producer only (the same records, same settings)", 1, SINGLE_RATES, seconds, clients,
          w -> peer(producer, peerTopic, pageViews, 1));
      ladder(rows, "Kafka producer only (the same records, same settings)", BATCH, BATCH_RATES, seconds, clients,
          w -> peer(producer, peerTopic, addToCarts, BATCH));

      System.out.println(table(rows, seconds, clients));
      Probed quiet = withHealthProbe(address, seconds, () -> OpenLoop.run(attackRate, seconds, clients, single));
      acknowledged += quiet.traffic().good();
      Probed attacked;
      OpenLoop.Step junkStep;
      long reopened;
      try (SlowClients slow = new SlowClients(address, 200)) {
        List<byte[]> junk = Requests.junk(2048, 3);
        CompletableFuture<OpenLoop.Step> flood = CompletableFuture.supplyAsync(() -> {
          try {
            return OpenLoop.run(1000, seconds, 32, w -> junk(address, junk));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        attacked = withHealthProbe(address, seconds, () -> OpenLoop.run(attackRate, seconds, clients, single));
        junkStep = flood.get();
        reopened = slow.reopened();
      }
      acknowledged += attacked.traffic().good();
      attack = attackTable(attackRate, quiet, attacked, junkStep, reopened);
    }
    long stored = records(bootstrap, goodTopic);
    String report = table(rows, seconds, clients) + "\n" + attack + "\n"
        + String.format(Locale.ROOT, "Events the collector acknowledged: %,d; on its good topic afterwards: %,d.%n",
        acknowledged, stored);
    System.out.println(report);
    BenchmarkReport.write(home.resolve("docs/BENCHMARKS.md"), "collector", report);
    System.out.println("written to docs/BENCHMARKS.md");
    System.exit(stored >= acknowledged ? 0 : 1);
  }

  /**
   * Runs the rates in order until two steps in a row miss the target (one may be a hiccup of the
   * shared machine; both are in the table); returns the events acknowledged.
   */
  private static long ladder(List<Row> rows, String path, int events, double[] rates, double seconds, int clients,
      IntFunction<OpenLoop.Client> client) throws Exception {
    long acknowledged = 0;
    int missed = 0;
    for (double rate : rates) {
      Row row = new Row(path, events, OpenLoop.run(rate, seconds, clients, client));
      rows.add(row);
      acknowledged += row.step().good() * events;
      System.out.printf(Locale.ROOT, "%s ×%d at %.0f/s: %.0f good/s, p99 %.1f ms, %d failed%n", path, events, rate,
          row.step().goodPerSecond(), row.step().p99(), row.step().failed());
      missed = row.passed() ? 0 : missed + 1;
      if (missed == 2) {
        break;
      }
    }
    return acknowledged;
  }

  private interface StepRun {
    OpenLoop.Step run() throws Exception;
  }

  /** A step of good traffic and the {@code /health} probe that ran beside it. */
  private record Probed(OpenLoop.Step traffic, OpenLoop.Step health) {}

  private static Probed withHealthProbe(InetSocketAddress address, double seconds, StepRun step) throws Exception {
    CompletableFuture<OpenLoop.Step> probe = CompletableFuture.supplyAsync(() -> {
      try {
        return OpenLoop.run(20, seconds, 2, w -> health(address));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    OpenLoop.Step traffic = step.run();
    return new Probed(traffic, probe.get());
  }

  private static OpenLoop.Client http(InetSocketAddress address, List<byte[]> requests) {
    HttpConnection connection = new HttpConnection(address);
    return new OpenLoop.Client() {
      @Override
      public boolean call(long i) throws Exception {
        HttpConnection.Response answer = connection.exchange(requests.get((int) (i % requests.size())));
        return answer.status() == 200 && answer.body().contains("\"rejected\":0");
      }

      @Override
      public void close() {
        connection.close();
      }
    };
  }

  /** Junk is answered well when it is refused with a 4xx, or shed with a documented 503. */
  private static OpenLoop.Client junk(InetSocketAddress address, List<byte[]> requests) {
    HttpConnection connection = new HttpConnection(address);
    return new OpenLoop.Client() {
      @Override
      public boolean call(long i) throws Exception {
        int status = connection.exchange(requests.get((int) (i % requests.size()))).status();
        return status < 500 || status == 503;
      }

      @Override
      public void close() {
        connection.close();
      }
    };
  }

  private static OpenLoop.Client health(InetSocketAddress address) {
    HttpConnection connection = new HttpConnection(address);
    return new OpenLoop.Client() {
      @Override
      public boolean call(long i) throws Exception {
        return connection.exchange(Requests.HEALTH).status() == 200;
      }

      @Override
      public void close() {
        connection.close();
      }
    };
  }

  /** The peer: sends the records of one request (keys and values the collector published) and waits for every acknowledgement. */
  private static OpenLoop.Client peer(KafkaProducer<byte[], byte[]> producer, String topic,
      List<ProducerRecord<byte[], byte[]>> records, int events) {
    return i -> {
      List<Future<RecordMetadata>> acks = new ArrayList<>(events);
      for (int e = 0; e < events; e++) {
        ProducerRecord<byte[], byte[]> record = records.get((int) ((i * events + e) % records.size()));
        acks.add(producer.send(new ProducerRecord<>(topic, record.key(), record.value())));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get(30, TimeUnit.SECONDS);
      }
      return true;
    };
  }

  /** The collector's producer settings ({@code KafkaEventSink}). */
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

  /** Creates {@code copy} with the partitions of {@code original} (which the collector created). */
  private static void createLike(String bootstrap, String original, String copy) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      int partitions = admin.describeTopics(List.of(original)).allTopicNames().get(30, TimeUnit.SECONDS)
          .get(original).partitions().size();
      admin.createTopics(List.of(new NewTopic(copy, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Up to {@value #SAMPLE} records the collector published whose value contains {@code marker}: the
   * peer sends exactly these, in turn (distinct records, so lz4 compresses them as it did the
   * collector's).
   */
  private static List<ProducerRecord<byte[], byte[]>> sample(String bootstrap, String topic, String marker) {
    List<ProducerRecord<byte[], byte[]>> sample = new ArrayList<>();
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-sample-" + UUID.randomUUID());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (sample.size() < SAMPLE && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
          if (sample.size() < SAMPLE && new String(record.value(), StandardCharsets.UTF_8).contains(marker)) {
            sample.add(new ProducerRecord<>(record.topic(), record.key(), record.value()));
          }
        }
      }
    }
    if (sample.size() < SAMPLE) {
      throw new IllegalStateException(sample.size() + " records with " + marker + " on " + topic + " after 60 s");
    }
    return sample;
  }

  /** Records on a topic (the sum of its end offsets; the topic is new, written only by the collector). */
  private static long records(String bootstrap, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
          .get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream().mapToLong(o -> o.offset()).sum();
    }
  }

  private static String table(List<Row> rows, double seconds, int clients) {
    StringBuilder md = new StringBuilder();
    md.append("## Collector throughput and latency\n\n");
    md.append(String.format(Locale.ROOT, "Command: `bin/spoor bench collector --seconds %.0f --clients %d` (run on %s, %d cores; "
        + "the collector in its own JVM (`CollectorMain`, 3g heap), Kafka, and the load generator with the peer producer share "
        + "the machine). Open loop: requests arrive at a fixed rate whatever the answers, from %d keep-alive HTTP/1.1 "
        + "connections (the peer: %d threads), latency measured from when each request was due. Single events are a "
        + "Snowplow web tracker's page views (`POST tp2`, one event with a web_page context, as the JS tracker sends by "
        + "default); batches are compact `POST /v1/batch` of 50 add-to-cart events. A request is good only when its answer "
        + "says every event was accepted, after Kafka (`acks=all`, idempotent, lz4) acknowledged. The peer sends the very "
        + "records the collector published (read back from its topic) with the same producer settings. Each path climbs "
        + "the rates, %.0f s a step (after %.0f s of warm-up), until two steps in a row miss p99 ≤ %.0f ms or have a failure.%n%n",
        seconds, clients, LocalDate.now(), Runtime.getRuntime().availableProcessors(), clients, clients, seconds, WARM_UP_SECONDS, P99_TARGET_MS));
    md.append("| path | events/request | offered requests/s | good requests/s | good events/s | p50 ms | p99 ms | failed |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Row r : rows) {
      md.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %,.0f | %,.0f | %.1f | %.1f | %d |%n", r.path(), r.events(),
          r.step().offeredPerSecond(), r.step().goodPerSecond(), r.step().goodPerSecond() * r.events(), r.step().p50(),
          r.step().p99(), r.step().failed()));
    }
    md.append("\nHighest rate each path held (p99 ≤ ").append((int) P99_TARGET_MS).append(" ms, no failure):\n\n");
    md.append("| events/request | collector requests/s | collector events/s | peer requests/s | collector / peer |\n");
    md.append("| ---: | ---: | ---: | ---: | ---: |\n");
    for (int events : new int[] {1, BATCH}) {
      double collector = held(rows, "collector", events);
      double peer = held(rows, "Kafka", events);
      double[] rates = events == 1 ? SINGLE_RATES : BATCH_RATES;
      String peerText = String.format(Locale.ROOT, "%,.0f", peer) + (peer == rates[rates.length - 1] ? " (top of the ladder)" : "");
      md.append(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %s | %.0f %% |%n", events, collector, collector * events,
          peerText, peer == 0 ? 0 : 100 * collector / peer));
    }
    return md.toString();
  }

  private static double held(List<Row> rows, String pathPrefix, int events) {
    return rows.stream().filter(r -> r.path().startsWith(pathPrefix) && r.events() == events && r.passed())
        .mapToDouble(r -> r.step().offeredPerSecond()).max().orElse(0);
  }

  private static String attackTable(double rate, Probed quiet, Probed attacked, OpenLoop.Step junk, long reopened) {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "Under attack: single page views at %,.0f/s (`--attack-rate`), alone and "
        + "then while 200 slow-body connections trickle a byte every 2 s and junk (random bytes, truncated and mistyped JSON, "
        + "NUL bytes, bad and missing write keys, junk query strings) arrives at 1 000 requests/s; `/health` probed 20 times "
        + "a second during each.%n%n", rate));
    md.append("| run | good requests/s | of the rate alone | p50 ms | p99 ms | failed | /health p99 ms |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Probed run : List.of(quiet, attacked)) {
      md.append(String.format(Locale.ROOT, "| %s | %,.0f | %.0f %% | %.1f | %.1f | %d | %.1f |%n",
          run == quiet ? "alone" : "under attack", run.traffic().goodPerSecond(),
          100 * run.traffic().goodPerSecond() / quiet.traffic().goodPerSecond(), run.traffic().p50(), run.traffic().p99(),
          run.traffic().failed(), run.health().p99()));
    }
    md.append(String.format(Locale.ROOT, "%nJunk answered with a 4xx (or a documented 503): %,d of %,d, at %,.0f/s. Slow "
        + "connections cut by the collector and reopened: %,d.%n", junk.good(), junk.sent(), junk.goodPerSecond(), reopened));
    return md.toString();
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
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
