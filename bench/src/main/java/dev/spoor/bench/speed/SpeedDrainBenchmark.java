package dev.spoor.bench.speed;

import com.typesafe.config.ConfigFactory;
import dev.spoor.bench.BenchmarkReport;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.EventJson;
import dev.spoor.speed.config.SpeedConfig;
import dev.spoor.stack.LocalStack;
import dev.spoor.state.table.StateTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How fast {@code bin/spoor speed} drains a backlog (the good topic after an outage), and how that
 * scales with task slots: the same backlog of carts, decided from the earliest offset by a fresh speed
 * layer per Spark master ({@code local[1]}, {@code local[2]}, … or a cluster's URL), each with a state
 * namespace of its own so none finds the speed view already written. Throughput = events over the time
 * between the first and the last decorated record (the JVM's and Spark's start-up left out).
 *
 * <p>Usage: {@code bin/spoor bench speed-drain [--events N] [--users N] [--masters local[1],local[2],local[4]]} (the default masters)
 */
public final class SpeedDrainBenchmark {
  private SpeedDrainBenchmark() {}

  public static void main(String[] args) throws Exception {
    int events = Integer.parseInt(arg(args, "--events", "200000"));
    int users = Integer.parseInt(arg(args, "--users", "20000"));
    List<String> masters = List.of(arg(args, "--masters", "local[1],local[2],local[4]").split(","));
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", "."))).toAbsolutePath();
    LocalStack.fromHome(home).up(List.of("kafka", "hbase"), System.out::println);
    String run = UUID.randomUUID().toString().substring(0, 6);
    String good = "bench.drain.good." + run;
    SpeedConfig config = SpeedConfig.from(ConfigFactory.parseMap(Map.of("spoor.kafka.topics.good", good))
        .withFallback(SpoorConfigLoader.load(home)).resolve(), home);
    try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", config.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(good, 4, (short) 1))).all().get();
    }
    System.out.printf("a backlog of %,d carts in %s%n", events, good);
    backlog(config, good, events, users);

    StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "A backlog of %,d carts of %,d users (the good topic, 4 "
        + "partitions, after an outage) decided by a fresh `bin/spoor speed` (micro-batch, %,d records per batch) from the "
        + "earliest offset, once per Spark master, each with a state namespace of its own; throughput over the time between "
        + "the first and the last decorated record. Kafka and HBase run on the same 2 cores.%n%n"
        + "| Spark master | events decided | first → last decision | events/s | × the first row |%n|---|---|---|---|---|%n",
        events, users, config.maxOffsetsPerTrigger()));
    double first = 0;
    for (String master : masters) {
      String namespace = "bench_drain_" + run + "_" + master.replaceAll("[^a-z0-9]", "");
      Map<String, Object> overrides = Map.of("spoor.state.namespace", namespace);
      SpeedConfig own = SpeedConfig.from(ConfigFactory.parseMap(overrides).withFallback(SpoorConfigLoader.load(home)).resolve(), home);
      try (Connection connection = ConnectionFactory.createConnection(own.state().hbase())) {
        try (Admin admin = connection.getAdmin()) {
          new StateTables(own.state()).init(admin);
        }
        SpeedBenchmark.publishUsers(connection, own, users);
      }
      String decorated = "bench.drain.decorated." + run + "." + namespace;
      Path log = home.resolve("var/bench/drain-" + run + "-" + namespace + ".log");
      Files.createDirectories(log.getParent());
      Map<String, String> env = new HashMap<>(Map.of("SPOOR_SPEED_MASTER", master.trim(), "SPOOR_TOPIC_GOOD", good,
          "SPOOR_TOPIC_DECORATED", decorated, "SPOOR_TOPIC_NOTIFICATIONS", "bench.drain.notifications." + run,
          "SPOOR_TOPIC_GATED", "bench.drain.gated." + run, "SPOOR_TOPIC_ROUTED_PREFIX", "bench.drain.routed." + run + ".",
          "SPOOR_STATE_NAMESPACE", namespace, "SPOOR_SPEED_CHECKPOINT_DIR", home.resolve("var/bench/drain-" + run + "-" + namespace)
              .toString(), "SPOOR_SPEED_STARTING_OFFSETS", "earliest", "SPOOR_SPEED_METRICS_PORT", "-1"));
      // Micro-batches: how a backlog of fixed size spreads over task slots (long-running tasks hold one slot per partition).
      env.put("SPOOR_SPEED_TRIGGER", "micro-batch");
      env.put("SPOOR_SPEED_TRIGGER_INTERVAL", "0s");
      ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/spoor").toString(), "speed").directory(home.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(env);
      builder.environment().put("SPOOR_SKIP_BUILD", "1");
      Process speed = builder.start();
      long[] span;
      try {
        span = awaitDecorated(config.bootstrapServers(), decorated, events, speed, log);
      } finally {
        speed.destroy();
        if (!speed.waitFor(60, TimeUnit.SECONDS)) {
          speed.destroyForcibly();
        }
      }
      double seconds = (span[1] - span[0]) / 1000.0;
      double rate = events / seconds;
      first = first == 0 ? rate : first;
      md.append(String.format(Locale.ROOT, "| %s | %,d | %.1f s | %,.0f | %.2f× |%n", master.trim(), events, seconds, rate,
          rate / first));
      System.out.print(md);
    }
    md.append("\nCommand: `bin/spoor bench speed-drain --events ").append(events).append(" --users ").append(users)
        .append(" --masters ").append(String.join(",", masters)).append("`\n");
    System.out.print(md);
    BenchmarkReport.write(home.resolve("docs/BENCHMARKS.md"), "speed-drain", md.toString());
    System.exit(0);
  }

  private static void backlog(SpeedConfig config, String topic, int events, int users) {
    Properties props = new Properties();
    props.put("bootstrap.servers", config.bootstrapServers());
    props.put("linger.ms", "20");
    Random random = new Random(7);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < events; i++) {
        String user = SpeedBenchmark.user(random.nextInt(users));
        Instant now = Instant.now();
        String id = UUID.randomUUID().toString();
        Event e = new Event(id, "shop", "web", "add_to_cart", "iglu:com.acme/add_to_cart/jsonschema/1-1-0", user, null, null,
            now, now, null, now, now, null, null, null, null, null, null, null, null,
            "{\"sku\":\"s\",\"price\":" + (5 + random.nextInt(195)) + ".0,\"quantity\":1,\"currency\":\"EUR\"}", "[]", "fp-" + id,
            now.atOffset(ZoneOffset.UTC).toLocalDate(), "bench", "bench", List.of());
        producer.send(new ProducerRecord<>(topic, user, EventJson.encode(e)));
      }
    }
  }

  /** Waits until the topic holds {@code events} records; returns the Kafka timestamps of the first and the last. */
  private static long[] awaitDecorated(String bootstrap, String topic, int events, Process speed, Path log) throws Exception {
    long deadline = System.currentTimeMillis() + 30 * 60_000L;
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      long first = Long.MAX_VALUE;
      long last = 0;
      long seen = 0;
      List<TopicPartition> assigned = new ArrayList<>();
      while (seen < events) {
        if (System.currentTimeMillis() > deadline || !speed.isAlive()) {
          throw new IllegalStateException("the speed layer decided " + seen + " of " + events + " events (log: " + log + ")");
        }
        if (assigned.isEmpty()) {
          var partitions = consumer.listTopics(Duration.ofSeconds(5)).get(topic);
          if (partitions == null) {
            Thread.sleep(500); // polling interval until the speed layer created its output topic
            continue;
          }
          partitions.forEach(p -> assigned.add(new TopicPartition(topic, p.partition())));
          consumer.assign(assigned);
          consumer.seekToBeginning(assigned);
        }
        for (var r : consumer.poll(Duration.ofMillis(500))) {
          first = Math.min(first, r.timestamp());
          last = Math.max(last, r.timestamp());
          seen++;
        }
      }
      return new long[] {first, last};
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
