package dev.spoor.bench.lander;

import com.typesafe.config.ConfigFactory;
import dev.spoor.bench.BenchmarkReport;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.ingest.lander.LanderJob;
import dev.spoor.lake.SparkSessions;
import dev.spoor.ingest.lander.config.LanderConfig;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.EventJson;
import dev.spoor.stack.LocalStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Landing throughput draining a backlog (default 1 M events, 10 % redelivered), beside a plain Spark
 * Kafka → Parquet copy of the same topic in the same run; then the steady-state lag of
 * {@code land --continuous} at a fixed input rate. Runs against the local stack's Kafka.
 *
 * <p>Usage: {@code bin/spoor bench lander [--events N] [--rate R] [--seconds S]}
 */
public final class LanderBenchmark {
  public static void main(String[] args) throws Exception {
    int events = intArg(args, "--events", 1_000_000);
    int rate = intArg(args, "--rate", 10_000);
    int seconds = intArg(args, "--seconds", 60);
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
    LocalStack stack = LocalStack.fromHome(home);
    stack.up(List.of("kafka"), System.out::println);
    String bootstrap = stack.config().kafka().bootstrapServers();
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path lake = home.resolve("var/bench/lake-" + run);
    String topic = "bench.lander." + run;
    String badTopic = topic + ".bad";
    createTopics(bootstrap, topic, badTopic, topic + ".steady", badTopic + ".steady");

    // Both paths first land a small topic of their own, untimed, in the same session: both are timed warm.
    String warmTopic = topic + ".warm";
    createTopics(bootstrap, warmTopic, warmTopic + ".bad");
    produceBacklog(bootstrap, warmTopic, 20_000);
    System.out.println("producing " + events + " events (+10 % redeliveries) to " + topic);
    List<String> unique = produceBacklog(bootstrap, topic, events);
    long records = unique.size() + unique.size() / 10;
    LanderConfig config = config(home, lake, topic, badTopic);
    SparkSession spark = SparkSessions.forJob("spoor-bench-lander", config.master(), config.shufflePartitions());
    land(spark, config(home, lake.resolve("warm"), warmTopic, warmTopic + ".bad"));
    copy(spark, bootstrap, warmTopic, config.maxOffsetsPerTrigger(), lake.resolve("warm"));

    StreamingQueryListener batches = new StreamingQueryListener() {
      @Override public void onQueryStarted(QueryStartedEvent event) { }
      @Override public void onQueryIdle(QueryIdleEvent event) { }
      @Override public void onQueryTerminated(QueryTerminatedEvent event) { }
      @Override public void onQueryProgress(QueryProgressEvent event) {
        System.out.println("[" + event.progress().name() + "] batch " + event.progress().batchId() + ": "
            + event.progress().numInputRows() + " rows, durations (ms) " + event.progress().durationMs());
      }
    };
    spark.streams().addListener(batches);
    long t0 = System.nanoTime();
    land(spark, config);
    double landSeconds = (System.nanoTime() - t0) / 1e9;
    spark.streams().removeListener(batches);
    long t1 = System.nanoTime();
    copy(spark, bootstrap, topic, config.maxOffsetsPerTrigger(), lake);
    double copySeconds = (System.nanoTime() - t1) / 1e9;

    // Row by row: the landed event ids are exactly the unique ones produced (a hash of the sorted ids on
    // both sides, and the count); the copy holds every record of the topic once.
    List<String> landedIds = spark.read().format("delta").load(config.table("events")).select("event_id")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    boolean landedExactly = landedIds.size() == unique.size() && sortedHash(landedIds).equals(sortedHash(unique));
    var copied = spark.read().parquet(lake.resolve("parquet-copy").toString());
    long copiedRows = copied.count();
    boolean copiedExactly = copiedRows == records && copied.select("partition", "offset").distinct().count() == records;
    LanderConfig steady = config(home, lake.resolve("steady"), topic + ".steady", badTopic + ".steady");
    double[] lag = steadyState(spark, steady, bootstrap, rate, seconds);
    spark.stop();

    String command = "bin/spoor bench lander --events " + events + " --rate " + rate + " --seconds " + seconds;
    StringBuilder md = new StringBuilder();
    md.append("## Landing: Kafka → Delta\n\n");
    md.append("Command: `").append(command).append("` (run on ").append(LocalDate.now()).append(", ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores, Spark `").append(config.master())
        .append("`, ").append(config.maxOffsetsPerTrigger()).append(" records per micro-batch; Kafka on the same machine). ")
        .append("The backlog is ").append(records).append(" records: ").append(unique.size())
        .append(" unique events that arrived over 24 hours (5 % of them one to four days late) plus 10 % redeliveries, each ")
        .append("sent again by a later collector request up to 20 000 records (").append(Math.round(20_000 * 1440.0 / unique.size()))
        .append(" minutes of arrivals) after the original, so most ")
        .append("lie in another micro-batch. Peer: a plain Structured Streaming copy of the same topic ")
        .append("to Parquet (no parsing, no de-duplication, no transactions), same trigger and batch size.\n\n");
    md.append("| path | records | seconds | records/s | rows in table | rows as expected, row by row |\n| --- | ---: | ---: | ---: | ---: | --- |\n");
    md.append(String.format(Locale.ROOT, "| lander (decode, validate, de-duplicate in streaming state, idempotent append to Delta) | %d | %.1f | %,.0f | %d | %s |%n",
        records, landSeconds, records / landSeconds, landedIds.size(), landedExactly ? "yes (the unique event ids)" : "NO"));
    md.append(String.format(Locale.ROOT, "| plain Spark Kafka → Parquet copy | %d | %.1f | %,.0f | %d | %s |%n%n",
        records, copySeconds, records / copySeconds, copiedRows, copiedExactly ? "yes (every record once)" : "NO"));
    md.append(String.format(Locale.ROOT, "Landing runs at %.0f %% of the plain copy's rate. Both are timed warm: each first "
        + "drains a 20 000-event topic of its own in the same session, untimed.%n%n", 100 * copySeconds / landSeconds));
    md.append(String.format(Locale.ROOT, "Steady state: `land --continuous` (trigger %d s) while a producer sends %d events/s "
        + "for %d s: Kafka lag measured after each micro-batch (records in the topic minus records landed) averaged "
        + "%.0f records (%.1f s of input) and peaked at %.0f (%.1f s); %s.%n",
        steady.triggerInterval().toSeconds(), rate, seconds, lag[0], lag[0] / rate, lag[1], lag[1] / rate,
        lag[2] > 0 ? String.format(Locale.ROOT, "%.0f of %.0f events landed when the producer stopped", lag[3], lag[2])
            : "no batch completed"));
    System.out.println(md);
    BenchmarkReport.write(home.resolve("docs/BENCHMARKS.md"), "lander", md.toString());
    System.out.println("written to docs/BENCHMARKS.md");
    System.exit(landedExactly && copiedExactly ? 0 : 1);
  }

  private static LanderConfig config(Path home, Path lake, String topic, String badTopic) {
    return LanderConfig.from(SpoorConfigLoader.loadWithOverrides(home, ConfigFactory.parseMap(Map.of(
        "spoor.lake.root", lake.toString(),
        "spoor.kafka.topics.good", topic,
        "spoor.kafka.topics.bad", badTopic))));
  }

  private static void createTopics(String bootstrap, String... topics) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      List<NewTopic> all = new ArrayList<>();
      for (String t : topics) {
        all.add(new NewTopic(t, 4, (short) 1));
      }
      admin.createTopics(all).all().get();
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", 20,
        "batch.size", 512 * 1024, "compression.type", "lz4"), new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Traffic as it arrives: the collector time advances through the backlog, most events happened
   * seconds before they arrived, and one in twenty arrives one to four days late.
   */
  private static Event event(Random random, Instant collector, int i) {
    Instant happened = i % 20 == 0
        ? collector.minusSeconds(86_400L * (1 + random.nextInt(4)))
        : collector.minusMillis(random.nextInt(30_000));
    Instant now = collector;
    return new Event(UUID.randomUUID().toString(), "shop", "web", "add_to_cart",
        "iglu:com.acme/add_to_cart/jsonschema/1-1-0", "u-" + random.nextInt(50_000), "d-" + i, "s-" + i, happened, happened,
        null, now, happened, "https://shop.example/p/" + (i % 500), null,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0.0.0", "Chrome", "120", "Windows NT", "Desktop",
        "203.0.113.0", "{\"sku\":\"sku-" + (i % 997) + "\",\"price\":19.99,\"quantity\":2,\"currency\":\"EUR\"}", "[]",
        UUID.randomUUID().toString().replace("-", ""), happened.atOffset(ZoneOffset.UTC).toLocalDate(), "bench",
        "spoor-batch", List.of());
  }

  /**
   * Produces {@code events} unique events arriving over the last 24 hours and one redelivery of every
   * tenth, sent again by a later collector request 1 to 20 000 records after it; returns the unique ids.
   */
  private static List<String> produceBacklog(String bootstrap, String topic, int events) throws Exception {
    Random random = new Random(1);
    Instant start = Instant.now().minusSeconds(86_400);
    double step = 86_400_000.0 / events;
    List<String> ids = new ArrayList<>(events);
    java.util.TreeMap<Integer, List<Event>> redeliveries = new java.util.TreeMap<>();
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
      List<Future<RecordMetadata>> window = new ArrayList<>();
      for (int i = 0; i < events || !redeliveries.isEmpty(); i++) {
        Instant collector = start.plusMillis((long) (Math.min(i, events) * step));
        List<Event> due = new ArrayList<>(redeliveries.getOrDefault(i, List.of()));
        redeliveries.remove(i);
        if (i < events) {
          Event e = event(random, collector, i);
          ids.add(e.eventId());
          due.add(e);
          if (i % 10 == 0) {
            redeliveries.computeIfAbsent(i + 1 + random.nextInt(20_000), k -> new ArrayList<>()).add(e);
          }
        }
        for (Event e : due) {
          Event sent = e.collectorTstamp().equals(collector) ? e : arrivedAgain(e, collector);
          window.add(producer.send(new ProducerRecord<>(topic, sent.partitionKey().getBytes(StandardCharsets.UTF_8),
              EventJson.encode(sent))));
        }
        if (window.size() >= 50_000) {
          for (Future<RecordMetadata> f : window) {
            f.get();
          }
          window.clear();
        }
      }
      for (Future<RecordMetadata> f : window) {
        f.get();
      }
    }
    return ids;
  }

  /** The same event, sent again by a later collector request. */
  private static Event arrivedAgain(Event e, Instant collector) {
    return new Event(e.eventId(), e.appId(), e.platform(), e.eventName(), e.schema(), e.userId(), e.domainUserid(),
        e.domainSessionid(), e.dvceCreatedTstamp(), e.dvceSentTstamp(), e.trueTstamp(), collector, e.derivedTstamp(),
        e.pageUrl(), e.pageReferrer(), e.useragent(), e.uaBrowser(), e.uaBrowserVersion(), e.uaOs(), e.uaDeviceClass(),
        e.userIpaddress(), e.properties(), e.contexts(), e.eventFingerprint(), e.eventDate(), e.tracker(), e.source(),
        e.qualityFlags());
  }

  private static void land(SparkSession spark, LanderConfig config) throws Exception {
    for (StreamingQuery q : LanderJob.start(spark, config, Trigger.AvailableNow())) {
      q.awaitTermination();
    }
  }

  /** The peer: the topic copied as it is (value as text, partition, offset) to Parquet, same trigger. */
  private static void copy(SparkSession spark, String bootstrap, String topic, long maxOffsets, Path lake)
      throws Exception {
    spark.readStream().format("kafka")
        .option("kafka.bootstrap.servers", bootstrap).option("subscribe", topic)
        .option("startingOffsets", "earliest").option("maxOffsetsPerTrigger", maxOffsets)
        .load().selectExpr("CAST(value AS STRING) AS value", "partition", "offset")
        .writeStream().format("parquet").option("path", lake.resolve("parquet-copy").toString())
        .option("checkpointLocation", lake.resolve("_checkpoints/parquet-copy").toString())
        .trigger(Trigger.AvailableNow()).start().awaitTermination();
  }

  /** SHA-256 over the sorted strings, one per line. */
  private static String sortedHash(List<String> values) throws Exception {
    List<String> sorted = new ArrayList<>(values);
    java.util.Collections.sort(sorted);
    java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
    for (String v : sorted) {
      digest.update(v.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) '\n');
    }
    return java.util.HexFormat.of().formatHex(digest.digest());
  }

  /** Average and peak lag (records) after each micro-batch; events sent and events landed at the end. */
  private static double[] steadyState(SparkSession spark, LanderConfig config, String bootstrap, int rate, int seconds)
      throws Exception {
    List<Long> lags = new ArrayList<>();
    Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
    StreamingQueryListener listener = new StreamingQueryListener() {
      @Override public void onQueryStarted(QueryStartedEvent event) { }
      @Override public void onQueryIdle(QueryIdleEvent event) { }
      @Override public void onQueryTerminated(QueryTerminatedEvent event) { }
      @Override public void onQueryProgress(QueryProgressEvent event) {
        if (!"spoor-lander-good".equals(event.progress().name())) {
          return;
        }
        // Lag after the batch: records in Kafka now minus records the batch has landed up to.
        for (SourceProgress source : event.progress().sources()) {
          try {
            long landedUpTo = sumOffsets(source.endOffset());
            long inKafka = latestOffsets(admin, config.goodTopic());
            synchronized (lags) {
              lags.add(Math.max(0, inKafka - landedUpTo));
            }
          } catch (Exception e) {
            System.err.println("lag sample failed: " + e.getMessage());
          }
        }
      }
    };
    spark.streams().addListener(listener);
    List<StreamingQuery> queries = LanderJob.start(spark, config,
        Trigger.ProcessingTime(config.triggerInterval().toMillis(), TimeUnit.MILLISECONDS));
    AtomicLong sent = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    Thread generator = new Thread(() -> {
      Random random = new Random(2);
      try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
        long start = System.nanoTime();
        while (!stop.get()) {
          long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
          while (sent.get() < due) {
            Event e = event(random, Instant.now(), (int) sent.get());
            producer.send(new ProducerRecord<>(config.goodTopic(), e.partitionKey().getBytes(StandardCharsets.UTF_8),
                EventJson.encode(e)));
            sent.incrementAndGet();
          }
          Thread.sleep(5); // pacing of a fixed-rate load generator, not synchronisation
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    generator.start();
    generator.join(seconds * 1000L);
    stop.set(true);
    generator.join();
    long landedAtStop = spark.read().format("delta").load(config.table("events")).count();
    for (StreamingQuery q : queries) {
      q.stop();
    }
    spark.streams().removeListener(listener);
    admin.close();
    synchronized (lags) {
      double avg = lags.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
      double max = lags.stream().mapToLong(Long::longValue).max().orElse(0);
      return new double[] {avg, max, sent.get(), landedAtStop};
    }
  }

  /** The sum of the per-partition offsets in a Kafka source offset JSON ({"topic":{"0":12,"1":34}}). */
  static long sumOffsets(String json) throws java.io.IOException {
    long sum = 0;
    var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    for (var topic : root) {
      for (var offset : topic) {
        sum += offset.asLong();
      }
    }
    return sum;
  }

  static long latestOffsets(Admin admin, String topic) throws Exception {
    var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request = new java.util.HashMap<>();
    for (var p : partitions) {
      request.put(new org.apache.kafka.common.TopicPartition(topic, p.partition()),
          org.apache.kafka.clients.admin.OffsetSpec.latest());
    }
    long sum = 0;
    for (var info : admin.listOffsets(request).all().get().values()) {
      sum += info.offset();
    }
    return sum;
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
