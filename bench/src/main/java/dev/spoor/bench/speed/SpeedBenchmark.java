package dev.spoor.bench.speed;

import com.typesafe.config.ConfigFactory;
import dev.spoor.bench.BenchmarkReport;
import dev.spoor.bench.ModuleProcess;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.ingest.collector.CollectorServer;
import dev.spoor.ingest.collector.config.CollectorConfig;
import dev.spoor.ingest.collector.sink.KafkaEventSink;
import dev.spoor.ingest.model.enrich.YauaaUserAgentParser;
import dev.spoor.ingest.model.schema.SchemaRegistry;
import dev.spoor.speed.config.SpeedConfig;
import dev.spoor.stack.LocalStack;
import dev.spoor.state.table.StateTables;
import dev.spoor.state.view.BatchView;
import dev.spoor.state.view.UserState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * End-to-end latency of the speed layer (collector time → notification sent to Kafka) at fixed input
 * rates through the collector over HTTP, beside a plain Kafka consumer loop applying the same shipped
 * rules by hand ({@link PeerLoop}), in the same run on the same topic, against the local stack's Kafka
 * and HBase; each step compares the two sides' decisions row by row (every notification, route, gate
 * and decoration).
 *
 * <p>Usage: {@code bin/spoor bench speed [--rates 1000,2000,5000] [--seconds S] [--users N] [--triggers micro-batch,continuous,real-time]
 * [--per-request N]}
 */
public final class SpeedBenchmark {
  private SpeedBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Integer> rates = new ArrayList<>();
    for (String r : arg(args, "--rates", "1000,2000,5000").split(",")) {
      rates.add(Integer.parseInt(r.trim()));
    }
    int seconds = Integer.parseInt(arg(args, "--seconds", "20"));
    int users = Integer.parseInt(arg(args, "--users", "20000"));
    int perRequest = Integer.parseInt(arg(args, "--per-request", "5"));
    List<String> triggers = List.of(arg(args, "--triggers", "micro-batch,continuous,real-time").split(","));
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
    LocalStack.fromHome(home).up(List.of("kafka", "hbase"), System.out::println);
    String run = UUID.randomUUID().toString().substring(0, 6);
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("spoor.kafka.topics.good", "bench.speed.good." + run);
    overrides.put("spoor.kafka.topics.bad", "bench.speed.bad." + run);
    overrides.put("spoor.collector.port", port);
    overrides.put("spoor.speed.topics.notifications", "bench.speed.notifications." + run);
    overrides.put("spoor.speed.topics.decorated", "bench.speed.decorated." + run);
    overrides.put("spoor.speed.topics.gated", "bench.speed.gated." + run);
    overrides.put("spoor.speed.topics.routed-prefix", "bench.speed.routed." + run + ".");
    overrides.put("spoor.speed.checkpoint-dir", home.resolve("var/bench/speed-" + run).toString());
    overrides.put("spoor.state.namespace", "bench_speed_" + run);
    com.typesafe.config.Config loaded = ConfigFactory.parseMap(overrides).withFallback(SpoorConfigLoader.load(home)).resolve();
    SpeedConfig config = SpeedConfig.from(loaded, home);
    PeerLoop.PeerTopics peerTopics = PeerLoop.PeerTopics.of("bench.speed.peer." + run + ".");
    List<NewTopic> topics = new ArrayList<>();
    for (String topic : config.outputTopics()) {
      topics.add(new NewTopic(topic, 4, (short) 1));
    }
    peerTopics.all().forEach(topic -> topics.add(new NewTopic(topic, 4, (short) 1)));
    topics.add(new NewTopic(config.goodTopic(), 4, (short) 1));
    topics.add(new NewTopic("bench.speed.bad." + run, 1, (short) 1));
    try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", config.bootstrapServers()))) {
      admin.createTopics(topics).all().get();
    }
    try (Connection connection = ConnectionFactory.createConnection(config.state().hbase())) {
      try (Admin admin = connection.getAdmin()) {
        new StateTables(config.state()).init(admin);
      }
      publishUsers(connection, config, users);
    }
    CollectorConfig collectorConfig = CollectorConfig.from(loaded);
    CollectorServer collector = new CollectorServer(collectorConfig,
        SchemaRegistry.load(collectorConfig.enrichment().schemasDir()),
        new YauaaUserAgentParser(collectorConfig.enrichment().userAgentCache()),
        new KafkaEventSink(collectorConfig.kafka(), collectorConfig.goodTopic(), collectorConfig.badTopic(),
            collectorConfig.sendTimeout())).start();
    CollectorTraffic traffic = new CollectorTraffic(port, users, perRequest);

    StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
        "%,d users in the batch view (scores 300–849, `vip` above 780, `at_risk` below 400). Shop traffic through the "
            + "collector over HTTP (`POST /v1/batch`, %d events of one user per request, 5 %% of requests from users the "
            + "batch view does not know; 70 %% carts at random prices, 20 %% page views, 10 %% purchases) at a fixed rate "
            + "for %d s per step. The shipped rules: `vip_cart` and `big_spender_today` notify, `premium_traffic` routes, "
            + "`unknown_users` gates, `with_score` decorates. Latency = the notification's Kafka timestamp (set when the "
            + "producer sent it) − the event's `collector_tstamp`. The speed layer runs as deployed (`bin/spoor speed`: a JVM of its own "
            + "on Spark " + ModuleProcess.sparkVersion(home, "speed-realtime") + ", the speed layer's line), each trigger in a fresh process on a "
            + "fresh checkpoint, after a 30 s "
            + "warm-up at 1 000/s (not reported); the peer runs throughout. Kafka, HBase, the collector, the load generator, "
            + "the peer and Spark %s share 2 cores.%n%n"
            + "| trigger | input events/s | decisions equal the peer's, row by row | speed layer: decided/s | p50 | p99 | "
            + "peer loop: decided/s | p50 | p99 |%n|---|---|---|---|---|---|---|---|---|%n",
        users, perRequest, seconds, config.master()));
    PeerLoop peer = new PeerLoop(config, peerTopics);
    Thread peerThread = new Thread(peer, "peer-loop");
    peerThread.start();
    List<String> speedTopics = List.of(config.notificationsTopic(), config.routedPrefix() + "premium", config.gatedTopic(),
        config.decoratedTopic());
    boolean allEqual = true;
    for (String trigger : triggers) {
      Map<String, Object> mode = new HashMap<>(overrides);
      mode.put("spoor.speed.trigger", trigger.trim());
      mode.put("spoor.speed.checkpoint-dir", home.resolve("var/bench/speed-" + run + "-" + trigger.trim()).toString());
      mode.put("spoor.speed.metrics-port", 0);
      mode.put("spoor.speed.master", config.master());
      if (trigger.trim().equals("continuous")) {
        mode.put("spoor.speed.trigger-interval", "250ms");
      } else if (trigger.trim().equals("micro-batch")) {
        mode.put("spoor.speed.trigger-interval", "0s");
      } else if (trigger.trim().equals("real-time")) {
        mode.put("spoor.speed.trigger-interval", "30s"); // batch boundaries inside the steps (production: 5 min)
      }
      SpeedConfig variant = SpeedConfig.from(ConfigFactory.parseMap(mode).withFallback(loaded), home);
      ModuleProcess speedLayer = ModuleProcess.start(home, "speed-realtime", "dev.spoor.speed.SpeedMain", ModuleProcess.logSays("speed layer reading"), mode, home.resolve("var/bench/speed-" + run + "-" + trigger.trim() + ".log"));
      // Warm-up (not reported): JIT, Spark's first batches, HBase caches, the collector.
      traffic.send(1000, 30, 1);
      awaitQuiet(config, speedTopics, peerTopics);
      for (int rate : rates) {
        long from = System.currentTimeMillis();
        CollectorTraffic.Sent sent = traffic.send(rate, seconds, rate);
        long settle = System.currentTimeMillis() + 60_000;
        Outputs speed;
        Outputs plain;
        do {
          Thread.sleep(1000); // polling interval while both consumers catch up (bounded by the settle deadline)
          speed = Outputs.read(config.bootstrapServers(), speedTopics, from);
          plain = Outputs.read(config.bootstrapServers(), peerTopics.all(), from);
        } while (System.currentTimeMillis() < settle && (speed.gated().size() + plain.gated().size() < 2 * expectedGated(sent)
            || !speed.rows().equals(plain.rows())));
        Set<String> missing = new TreeSet<>(plain.rows());
        missing.removeAll(speed.rows());
        Set<String> extra = new TreeSet<>(speed.rows());
        extra.removeAll(plain.rows());
        boolean equal = missing.isEmpty() && extra.isEmpty() && sent.failedRequests() == 0;
        allEqual &= equal;
        String complete = equal ? String.format(Locale.ROOT, "yes (%,d rows: %,d notified, %,d routed, %,d passed the gate, %,d decorated)",
            plain.rows().size(), plain.notified().size(), plain.routed().size(), plain.gated().size(), plain.decorated().size())
            : String.format(Locale.ROOT, "NO (%d missing, %d extra, %d requests failed; e.g. %s)", missing.size(), extra.size(),
                sent.failedRequests(), missing.isEmpty() ? extra.stream().findFirst().orElse("") : missing.iterator().next());
        md.append(String.format(Locale.ROOT, "| %s | %,d (accepted %,d) | %s | %,.0f | %.0f ms | %.0f ms | %,.0f | %.0f ms | %.0f ms |%n",
            trigger.trim() + (variant.mode().longRunningTasks() ? " (commits every " + variant.triggerInterval().toMillis() + " ms)" : ""),
            rate, sent.events(), complete, speed.throughput(sent.events(), from), speed.p50(), speed.p99(),
            plain.throughput(sent.events(), from), plain.p50(), plain.p99()));
        System.out.print(md);
      }
      speedLayer.close();
    }
    peer.stop.set(true);
    peerThread.join(30_000);
    collector.close();
    md.append("\nDecided/s = events accepted over the time from the first request until the last notification of the step. "
        + "Rows compared: every notification (rule, event id), every routed, passed-the-gate and decorated event id of the "
        + "events collected in the step, speed layer against peer. The peer is one thread: poll, record the speed view, one "
        + "batch + one speed multi-get for the polled users, the five rules in Java, produce, commit.\n\nCommand: "
        + "`SPOOR_SPEED_MASTER='" + config.master() + "' bin/spoor bench speed --rates ")
        .append(String.join(",", rates.stream().map(String::valueOf).toList())).append(" --seconds ").append(seconds)
        .append(" --users ").append(users).append(" --per-request ").append(perRequest).append(" --triggers ")
        .append(String.join(",", triggers)).append("`\n");
    System.out.print(md);
    BenchmarkReport.write(home.resolve("docs/BENCHMARKS.md"), "speed", md.toString());
    System.exit(allEqual ? 0 : 1);
  }

  /** Passed-the-gate rows to expect at least: nearly every accepted event (gated are the newcomers' purchases). */
  private static long expectedGated(CollectorTraffic.Sent sent) {
    return sent.events() * 99 / 100;
  }

  /** Waits until neither side has written a decoration for two seconds (the warm-up's backlog drained). */
  private static void awaitQuiet(SpeedConfig config, List<String> speedTopics, PeerLoop.PeerTopics peerTopics)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      long since = System.currentTimeMillis() - 2000;
      if (lastWrite(config, speedTopics.get(3)) < since && lastWrite(config, peerTopics.decorated()) < since) {
        return;
      }
      Thread.sleep(500); // polling interval of a condition wait with a deadline
    }
  }

  /** The Kafka timestamp of the newest record of a topic (0 if empty). */
  private static long lastWrite(SpeedConfig config, String topic) {
    Properties props = new Properties();
    props.put("bootstrap.servers", config.bootstrapServers());
    long last = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      for (TopicPartition p : partitions) {
        consumer.seek(p, Math.max(0, end.get(p) - 1));
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(2))) {
        last = Math.max(last, r.timestamp());
      }
    }
    return last;
  }

  static void publishUsers(Connection connection, SpeedConfig config, int users) throws Exception {
    BatchView view = new BatchView(connection, config.state());
    BatchView.Begun begun = view.begin("bench", "{}", "{}");
    Random random = new Random(1);
    try (BatchView.Writer writer = new BatchView.Writer(config.state(), begun.version())) {
      for (int i = 0; i < users; i++) {
        int score = 300 + random.nextInt(550);
        List<String> segments = score > 780 ? List.of("vip") : score < 400 ? List.of("at_risk") : List.of();
        writer.put(user(i), new UserState(user(i), 0, score, List.of("R01"), segments, Map.of("events", 10), Map.of()).document());
      }
    }
    view.commit(begun.version(), users);
  }

  static String user(int i) {
    return String.format("user-%07d", i);
  }

  private static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
