package dev.spoor.bench.speed;

import com.typesafe.config.ConfigFactory;
import dev.spoor.bench.BenchmarkReport;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.EventJson;
import dev.spoor.lake.SparkSessions;
import dev.spoor.speed.SpeedJob;
import dev.spoor.speed.config.SpeedConfig;
import dev.spoor.speed.decide.StateLookup;
import dev.spoor.stack.LocalStack;
import dev.spoor.state.read.SpeedView;
import dev.spoor.state.read.StateReader;
import dev.spoor.state.table.StateTables;
import dev.spoor.state.view.BatchView;
import dev.spoor.state.view.UserState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * End-to-end latency of the speed layer (collector time → notification acknowledged by Kafka) at
 * fixed input rates, beside a plain Kafka consumer loop doing the same HBase lookups (batch and speed
 * view) and the same rule check in Java, in the same run, against the local stack's Kafka and HBase.
 *
 * <p>Usage: {@code bin/spoor bench speed [--rates 1000,5000,20000] [--seconds S] [--users N] [--triggers micro-batch,continuous]}
 */
public final class SpeedBenchmark {
  private SpeedBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Integer> rates = new ArrayList<>();
    for (String r : arg(args, "--rates", "1000,5000,20000").split(",")) {
      rates.add(Integer.parseInt(r.trim()));
    }
    int seconds = Integer.parseInt(arg(args, "--seconds", "30"));
    int users = Integer.parseInt(arg(args, "--users", "100000"));
    List<String> triggers = List.of(arg(args, "--triggers", "micro-batch,continuous").split(","));
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
    LocalStack.fromHome(home).up(List.of("kafka", "hbase"), System.out::println);
    String run = UUID.randomUUID().toString().substring(0, 6);
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("spoor.kafka.topics.good", "bench.speed.good." + run);
    overrides.put("spoor.speed.topics.notifications", "bench.speed.notifications." + run);
    overrides.put("spoor.speed.topics.decorated", "bench.speed.decorated." + run);
    overrides.put("spoor.speed.topics.gated", "bench.speed.gated." + run);
    overrides.put("spoor.speed.topics.routed-prefix", "bench.speed.routed." + run + ".");
    overrides.put("spoor.speed.checkpoint-dir", home.resolve("var/bench/speed-" + run).toString());
    overrides.put("spoor.state.namespace", "bench_speed_" + run);
    com.typesafe.config.Config loaded = ConfigFactory.parseMap(overrides).withFallback(SpoorConfigLoader.load(home));
    SpeedConfig config = SpeedConfig.from(loaded, home);
    String peerTopic = "bench.speed.peer." + run;
    try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", config.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(config.goodTopic(), 4, (short) 1),
          new NewTopic(config.notificationsTopic(), 4, (short) 1), new NewTopic(peerTopic, 4, (short) 1))).all().get();
    }
    try (Connection connection = ConnectionFactory.createConnection(config.state().hbase())) {
      try (Admin admin = connection.getAdmin()) {
        new StateTables(config.state()).init(admin);
      }
      publishUsers(connection, config, users);
    }

    StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
        "%,d users in the batch view; add_to_cart events for random users at a fixed rate for %d s each; the shipped rules "
            + "(`vip_cart` notifies for about a third of them). Latency = notification's Kafka timestamp − the event's "
            + "`collector_tstamp`. Each trigger runs on a fresh checkpoint after a 15 s warm-up at 1 000/s (not reported); "
            + "the peer runs throughout. Kafka, HBase, Spark %s, the load generator and the peer share 2 cores.%n%n"
            + "| trigger | input events/s | vip_cart ids equal the peer's | speed layer: decided/s | p50 | p99 | peer loop: "
            + "decided/s | p50 | p99 |%n|---|---|---|---|---|---|---|---|---|%n",
        users, seconds, config.master()));
    SparkSession spark = SparkSessions.forJob("spoor-bench-speed", config.master(), 2);
    if (System.getenv("SPOOR_BENCH_VERBOSE") != null) {
      spark.streams().addListener(new dev.spoor.speed.SpeedProgress(System.out::println));
    }
    PeerLoop peer = new PeerLoop(config, peerTopic);
    Thread peerThread = new Thread(peer, "peer-loop");
    peerThread.start();
    for (String trigger : triggers) {
      Map<String, Object> mode = new HashMap<>(Map.of("spoor.speed.trigger", trigger.trim(),
          "spoor.speed.checkpoint-dir", home.resolve("var/bench/speed-" + run + "-" + trigger.trim()).toString()));
      if (trigger.trim().equals("continuous")) {
        mode.put("spoor.speed.trigger-interval", "250ms");
      }
      SpeedConfig variant = SpeedConfig.from(ConfigFactory.parseMap(mode).withFallback(loaded), home);
      StreamingQuery query = SpeedJob.start(spark, variant);
      // Warm-up (not reported): JIT, Spark's first batches, HBase caches; then let both consumers drain.
      produce(config, 1000, 15, users);
      Thread.sleep(15_000); // let the warm-up backlog drain; events of the warm-up are not counted in any step
      for (int rate : rates) {
        long from = System.currentTimeMillis();
        long sent = produce(config, rate, seconds, users);
        long settle = System.currentTimeMillis() + 60_000;
        Result speed;
        Result plain;
        do {
          Thread.sleep(1000); // let both consumers catch up before reading their outputs
          speed = latencies(config, config.notificationsTopic(), from);
          plain = latencies(config, peerTopic, from);
        } while (System.currentTimeMillis() < settle && (speed.lastAt < from + seconds * 1000L
            || plain.lastAt < from + seconds * 1000L || !speed.vipIds().equals(plain.vipIds())));
        // The peer decides vip_cart exactly, event by event: the speed layer's vip_cart ids must be the same set.
        java.util.Set<String> missing = new java.util.HashSet<>(plain.vipIds());
        missing.removeAll(speed.vipIds());
        java.util.Set<String> extra = new java.util.HashSet<>(speed.vipIds());
        extra.removeAll(plain.vipIds());
        String complete = missing.isEmpty() && extra.isEmpty() ? "yes (" + plain.vipIds().size() + ")"
            : "NO (" + missing.size() + " missing, " + extra.size() + " extra)";
        md.append(String.format(Locale.ROOT, "| %s | %,d (sent %,d) | %s | %,.0f | %.0f ms | %.0f ms | %,.0f | %.0f ms | %.0f ms |%n",
            trigger.trim() + (variant.continuous() ? " (epochs " + variant.triggerInterval().toMillis() + " ms)" : ""),
            rate, sent, complete, speed.throughput(sent, from), speed.p50, speed.p99, plain.throughput(sent, from),
            plain.p50, plain.p99));
        System.out.print(md);
      }
      query.stop();
    }
    peer.stop.set(true);
    peerThread.join(30_000);
    StateLookup.closeConnections();
    System.out.println("speed layer state lookups: " + dev.spoor.speed.decide.SpeedMetrics.timings());
    spark.stop();
    md.append("\nDecided/s = input events over the time from the first send until the last notification of the step. The peer "
        + "is one thread: poll, one batch + speed multi-get for the polled users, record the speed view, the vip_cart check "
        + "in Java, produce, commit.\n\nCommand: `SPOOR_SPARK_MASTER='" + config.master() + "' bin/spoor bench speed --rates ")
        .append(String.join(",", rates.stream().map(String::valueOf).toList())).append(" --seconds ").append(seconds)
        .append(" --users ").append(users).append(" --triggers ").append(String.join(",", triggers)).append("`\n");
    System.out.print(md);
    BenchmarkReport.write(home.resolve("docs/BENCHMARKS.md"), "speed", md.toString());
    System.exit(0);
  }

  private static void publishUsers(Connection connection, SpeedConfig config, int users) throws Exception {
    BatchView view = new BatchView(connection, config.state());
    BatchView.Begun begun = view.begin("bench", "{}", "{}");
    Random random = new Random(1);
    try (BatchView.Writer writer = new BatchView.Writer(config.state(), begun.version())) {
      for (int i = 0; i < users; i++) {
        int score = 300 + random.nextInt(550);
        writer.put(user(i), new UserState(user(i), 0, score, List.of("R01"), score > 780 ? List.of("vip") : List.of(),
            Map.of("events", 10), Map.of()).document());
      }
    }
    view.commit(begun.version(), users);
  }

  static String user(int i) {
    return String.format("user-%07d", i);
  }

  private static long produce(SpeedConfig config, int rate, int seconds, int users) {
    Properties props = new Properties();
    props.put("bootstrap.servers", config.bootstrapServers());
    props.put("linger.ms", "5");
    Random random = new Random(rate);
    long sent = 0;
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      long start = System.nanoTime();
      long total = (long) rate * seconds;
      while (sent < total) {
        long due = start + sent * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait); // pacing of the load generator
        }
        String user = user(random.nextInt(users));
        Instant now = Instant.now();
        String id = UUID.randomUUID().toString();
        Event e = new Event(id, "shop", "web", "add_to_cart", "iglu:com.acme/add_to_cart/jsonschema/1-0-0", user, null, null,
            now, now, null, now, now, null, null, null, null, null, null, null, null,
            "{\"sku\":\"s\",\"price\":20.0,\"quantity\":1}", "[]", "fp-" + id, now.atOffset(ZoneOffset.UTC).toLocalDate(),
            "bench", "bench", List.of());
        producer.send(new ProducerRecord<>(config.goodTopic(), user, EventJson.encode(e)));
        sent++;
      }
    }
    return sent;
  }

  /** Latency percentiles, count, the last notification's time, and the vip_cart notification ids seen. */
  record Result(double p50, double p99, long count, long lastAt, java.util.Set<String> vipIds) {
    double throughput(long sent, long from) {
      return lastAt <= from ? 0 : sent * 1000.0 / (lastAt - from);
    }
  }

  /** Latencies of the notifications produced since {@code from} (record timestamp − collector time). */
  private static Result latencies(SpeedConfig config, String topic, long from) {
    Properties props = new Properties();
    props.put("bootstrap.servers", config.bootstrapServers());
    List<Long> latencies = new ArrayList<>();
    java.util.Set<String> vipIds = new java.util.HashSet<>();
    long last = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      var start = consumer.offsetsForTimes(partitions.stream().collect(java.util.stream.Collectors.toMap(p -> p, p -> from)));
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      for (TopicPartition p : partitions) {
        var o = start.get(p);
        consumer.seek(p, o == null ? end.get(p) : o.offset());
      }
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          String value = new String(r.value(), StandardCharsets.UTF_8);
          int at = value.indexOf("\"collector_tstamp\":\"") + 20;
          long collected = Instant.parse(value.substring(at, value.indexOf('"', at))).toEpochMilli();
          if (collected < from) {
            continue; // an event of an earlier step (or the warm-up), decided late
          }
          latencies.add(r.timestamp() - collected);
          if (!value.contains("\"rule\":") || value.contains("\"rule\":\"vip_cart\"")) {
            vipIds.add(new String(r.key(), StandardCharsets.UTF_8)); // the peer notifies vip_cart only
          }
          last = Math.max(last, r.timestamp());
        }
      }
    }
    if (latencies.isEmpty()) {
      return new Result(0, 0, 0, 0, vipIds);
    }
    dev.spoor.bench.LatencyRecorder recorded = new dev.spoor.bench.LatencyRecorder(latencies.size());
    latencies.forEach(ms -> recorded.record(ms * 1_000_000));
    return new Result(recorded.percentileMillis(0.50), recorded.percentileMillis(0.99), latencies.size(), last, vipIds);
  }

  /** The peer: a plain consumer loop doing the same lookups and the vip_cart check in Java. */
  static final class PeerLoop implements Runnable {
    final AtomicBoolean stop = new AtomicBoolean();
    private final SpeedConfig config;
    private final String topic;

    PeerLoop(SpeedConfig config, String topic) {
      this.config = config;
      this.topic = topic;
    }

    @Override
    public void run() {
      Properties c = new Properties();
      c.put("bootstrap.servers", config.bootstrapServers());
      c.put("group.id", "bench-peer-" + topic);
      c.put("auto.offset.reset", "latest");
      c.put("enable.auto.commit", "false");
      c.put("max.poll.records", "20000");
      Properties p = new Properties();
      p.put("bootstrap.servers", config.bootstrapServers());
      p.put("acks", "all");
      p.put("enable.idempotence", "true");
      try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new org.apache.kafka.common.serialization.StringDeserializer(),
               new ByteArrayDeserializer());
           KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
           Connection connection = ConnectionFactory.createConnection(config.state().hbase())) {
        consumer.subscribe(List.of(config.goodTopic()));
        StateReader reader = new StateReader(connection, config.state());
        SpeedView speedView = new SpeedView(connection, config.state());
        while (!stop.get()) {
          var records = consumer.poll(Duration.ofMillis(100));
          if (records.isEmpty()) {
            continue;
          }
          List<Event> events = new ArrayList<>();
          List<SpeedView.Seen> seen = new ArrayList<>();
          java.util.Set<String> users = new java.util.LinkedHashSet<>();
          for (ConsumerRecord<String, byte[]> r : records) {
            Event e = EventJson.decodeEvent(r.value());
            events.add(e);
            users.add(e.userId());
            seen.add(new SpeedView.Seen(e.userId(), e.eventId(), r.partition(), r.offset(), e.eventName(), 20.0, e.collectorTstamp()));
          }
          speedView.record(seen);
          Map<String, UserState> states = reader.getAll(users);
          speedView.uncovered(users, Map.of());
          List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
          for (Event e : events) {
            UserState s = states.get(e.userId());
            if (e.eventName().equals("add_to_cart") && s != null && s.score() != null && s.score() >= 700
                && !s.segments().contains("at_risk")) {
              String id = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                  .digest(("vip_cart:" + e.eventId()).getBytes(StandardCharsets.UTF_8))).substring(0, 32);
              sent.add(producer.send(new ProducerRecord<>(topic, id, "{\"notification_id\":\"" + id + "\",\"collector_tstamp\":\""
                  + e.collectorTstamp() + "\"}")));
            }
          }
          producer.flush();
          for (var f : sent) {
            f.get();
          }
          consumer.commitSync();
        }
      } catch (Exception e) {
        throw new IllegalStateException("peer loop failed", e);
      }
    }
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
