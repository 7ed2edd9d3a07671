package dev.spoor.demo;

import com.typesafe.config.Config;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.demo.shop.DemoTruth;
import dev.spoor.demo.shop.PlannedEvent;
import dev.spoor.demo.shop.ShopSimulation;
import dev.spoor.demo.shop.UserTruth;
import dev.spoor.speed.config.SpeedConfig;
import dev.spoor.demo.traffic.BrowserSender;
import dev.spoor.demo.traffic.CompactBatchSender;
import dev.spoor.demo.traffic.Delivery;
import dev.spoor.demo.traffic.ShopTraffic;
import dev.spoor.stack.LocalStack;
import dev.spoor.stack.sql.SqlRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/spoor demo [--users N] [--days D]}: the whole pipeline on the local stack, from a
 * generated shop to decisions. Brings Kafka, HBase, Trino and the collector up; sends the shop's
 * traffic over HTTP with the Snowplow Java tracker, the compact batch format and spoor.js in headless
 * Chromium (redeliveries,
 * out-of-order and days-late events, invalid events, corrupt requests); runs the hourly pipeline (land,
 * clean) and the daily one (sessionize … publish); runs the speed layer on a live tail of carts;
 * prints a summary from Trino and Kafka; and ends with {@code bin/spoor verify} against the truth
 * the generator recorded ({@code var/demo/truth.json}). Exit status 0 when everything verifies.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the whole pipeline on the local stack with generated shop traffic, then verify it.")
public final class DemoMain implements Callable<Integer> {
  static final String WRITE_KEY = "wk_shop_2026_a";

  @Option(names = "--users", defaultValue = "200", description = "simulated users (default 200)")
  int users;

  @Option(names = "--days", defaultValue = "21", description = "days of history the users' visits span (default 21)")
  int days;

  @Option(names = "--seed", description = "generator seed (default: from the clock)")
  Long seed;

  @Option(names = "--tail", defaultValue = "40", description = "users whose carts are sent live to the speed layer"
      + " (default 40; every fourth sends four, and a newcomer buys after every eighth)")
  int tail;

  @Option(names = "--chaos", description = "halt the lander between a Delta commit and its checkpoint, every batch job"
      + " once right after its commit (publish right after its pointer moved), and kill -9 the speed layer mid-tail;"
      + " restart each and show that verify still passes (exactly once across crashes)")
  boolean chaos;

  private final PrintStream out = System.out;
  private Path home;
  private String collector;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DemoMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (users < 1 || days < 1 || days > 30 || tail < 0) {
      System.err.println("spoor demo: --users from 1, --days from 1 to 30 (events older than 30 days are clamped), --tail from 0");
      return 2;
    }
    home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", "."))).toAbsolutePath();
    Config config = SpoorConfigLoader.load(home);
    long runSeed = seed != null ? seed : System.currentTimeMillis();
    String prefix = "demo-" + Long.toString(runSeed & 0xffffffL, 36) + "-";
    long started = System.nanoTime();

    step(1, "local stack: kafka, hbase, trino, collector");
    LocalStack stack = LocalStack.fromHome(home);
    stack.up(List.of("kafka", "hbase", "trino", "collector"), out::println);
    collector = stack.config().collector().url();

    step(2, users + " users over " + days + " days -> collector " + collector
        + " (Snowplow Java tracker for half of them, compact batch and spoor.js in headless Chromium for a quarter each)");
    Instant now = Instant.now();
    LocalDate asOf = now.atOffset(ZoneOffset.UTC).toLocalDate();
    List<UserTruth> shop = new ShopSimulation(runSeed).users(prefix, users, days, now, 0.2).stream()
        .filter(u -> !u.visits().isEmpty()).toList();
    Delivery delivery = new ShopTraffic(collector, WRITE_KEY, 0.2, 0.1, 3).send(shop, browser(config), runSeed,
        out::println);
    Instant sentAt = Instant.now().plusSeconds(5);
    DemoTruth truth = new DemoTruth(prefix, now.minusSeconds(5), sentAt, asOf, shop, delivery.acceptedIds(),
        delivery.requests(), delivery.events(), delivery.redelivered(), delivery.invalidEvents(),
        delivery.corruptRequests(), List.of());
    Path truthFile = home.resolve(config.getString("spoor.var-dir")).resolve("demo/truth.json");
    truth.write(truthFile);
    out.printf("sent %d events (%d accepted, %d redelivered copies, %d invalid) and %d corrupt requests; truth in %s%n",
        delivery.events() + delivery.redelivered(), delivery.acceptedIds().size(), delivery.redelivered(),
        delivery.invalidEvents(), delivery.corruptRequests(), truthFile);

    step(3, "hourly pipeline: bin/spoor run hourly (land Kafka -> Delta, clean)");
    if (chaos) {
      crashLanding(config);
      haltingOnce(config, prefix, List.of("clean.after-commit"), "run", "hourly", "--run-id", prefix + "hourly");
    } else {
      spoor(Map.of(), "run", "hourly", "--run-id", prefix + "hourly", "--retries", "1", "--retry-delay", "5");
    }
    step(4, "daily pipeline: bin/spoor run daily (sessionize, funnels, features, score, segments, publish)");
    if (chaos) {
      haltingOnce(config, prefix, List.of("sessionize.after-commit", "funnels.after-commit", "features.after-commit",
          "score.after-commit", "segments.after-commit", "publish.after-pointer-move"), "run", "daily", "--run-id",
          prefix + "daily", "--as-of", asOf.toString());
    } else {
      spoor(Map.of(), "run", "daily", "--run-id", prefix + "daily", "--as-of", asOf.toString(), "--retries", "1",
          "--retry-delay", "5");
    }

    step(5, "speed layer on a live tail: bin/spoor speed, events of " + tail + " users sent now");
    truth = liveTail(config, truth, truthFile);

    step(6, "summary");
    summary(config, truth);

    step(7, "verify against the generator's truth: bin/spoor verify");
    int verified = spoor(Map.of(), "verify", "--truth", truthFile.toString());
    out.printf("%ndemo finished in %.1f min. The stack stays up: bin/spoor status shows it; query it with bin/spoor sql "
        + "\"SELECT ...\" (Trino at %s, user spoor) or bin/spoor notebooks; bin/spoor down stops everything.%n",
        (System.nanoTime() - started) / 60e9, stack.config().trino().jdbcUrl());
    return verified == 0 ? 0 : 1;
  }

  /** spoor.js's sender, or null (its users then send compact batches) with the reason why. */
  private BrowserSender browser(Config config) {
    java.util.Optional<String> unavailable = BrowserSender.unavailable(home);
    unavailable.ifPresent(why -> out.println("spoor.js cannot run in a browser here: " + why
        + "; its users send compact batches instead"));
    return unavailable.isPresent() ? null : new BrowserSender(home,
        home.resolve(config.getString("spoor.var-dir")).resolve("demo"), collector, WRITE_KEY);
  }

  private void step(int n, String what) {
    out.printf("%n== %d/7 %s%n", n, what);
    out.flush();
  }

  /**
   * The environment of every process the demo starts: no rebuild, and, unless the caller chose JVM
   * options, the client JIT only: the demo's jobs are small and short, and C2 compiling beside them on
   * two cores costs each JVM about a fifth of its time (measured: sessionize 29 s → 23 s). With the
   * tiered default's code cache (240 MB, not the client JIT's 48 MB), which a whole pipeline in one
   * application would otherwise fill, after which the JVM stops compiling.
   */
  private static void childEnvironment(Map<String, String> env) {
    env.put("SPOOR_SKIP_BUILD", "1");
    env.putIfAbsent("SPOOR_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=240m");
  }

  /** Runs {@code bin/spoor ARGS} with the demo's output; fails the demo when it fails (verify excepted). */
  private int spoor(Map<String, String> env, String... args) throws IOException, InterruptedException {
    int exit = exitOf(env, args);
    if (exit != 0 && !args[0].equals("verify")) {
      throw new IllegalStateException("bin/spoor " + String.join(" ", args) + " failed (exit " + exit + "); see above");
    }
    return exit;
  }

  /** {@code bin/spoor ARGS}, its output inherited; returns its exit status. */
  private int exitOf(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/spoor").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).inheritIO();
    childEnvironment(builder.environment());
    builder.environment().putAll(env);
    return builder.start().waitFor();
  }

  /**
   * Starts the speed layer at the good topic's current end, sends the live tail ({@link #tailEvents}),
   * waits until every event was decided (the decorated topic has one record per event), and stops it.
   * The events join the truth file; where each topic stood before the tail goes to {@code offsets.json},
   * for verify.
   */
  private DemoTruth liveTail(Config config, DemoTruth truth, Path truthFile) throws Exception {
    if (tail == 0) {
      return truth;
    }
    SpeedConfig speedConfig = SpeedConfig.from(config, home);
    KafkaTopics kafka = new KafkaTopics(speedConfig.kafka());
    String good = speedConfig.goodTopic();
    String decorated = speedConfig.decoratedTopic();
    Map<Integer, Long> goodEnd = kafka.endOffsets(good);
    Path speedLog = home.resolve(config.getString("spoor.var-dir")).resolve("demo/speed.log");
    Files.createDirectories(speedLog.getParent());
    ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/spoor").toString(), "speed").directory(home.toFile())
        .redirectErrorStream(true).redirectOutput(speedLog.toFile());
    childEnvironment(builder.environment());
    builder.environment().put("SPOOR_SPEED_STARTING_OFFSETS", KafkaTopics.sparkOffsets(good, goodEnd));
    builder.environment().put("SPOOR_SPEED_METRICS_PORT", "0"); // any free port: the demo's speed layer is short-lived
    builder.environment().put("SPOOR_SPEED_CHECKPOINT_DIR",
        speedLog.resolveSibling("speed-checkpoint-" + truth.prefix()).toString());
    speed = builder.start();
    try {
      await("the speed layer to start (log: " + speedLog + ")", Duration.ofMinutes(3),
          () -> Files.readString(speedLog, StandardCharsets.UTF_8).contains("speed layer reading"), speed);
      // The speed layer created its output topics at start-up; nothing is in them for the tail yet.
      Map<String, Map<Integer, Long>> outputsEnd = new TreeMap<>();
      for (String topic : speedConfig.outputTopics()) {
        outputsEnd.put(topic, kafka.endOffsets(topic));
      }
      Random random = new Random(truth.prefix().hashCode());
      List<UserTruth> chosen = new ArrayList<>(truth.users());
      java.util.Collections.shuffle(chosen, random);
      chosen = chosen.subList(0, Math.min(tail, chosen.size()));
      List<List<PlannedEvent>> senders = tailEvents(chosen, truth.prefix(), Instant.now(), random);
      CompactBatchSender sender = new CompactBatchSender(collector, WRITE_KEY);
      List<DemoTruth.TailEvent> sent = new ArrayList<>();
      int half = chaos ? senders.size() / 2 : senders.size();
      sendTail(sender, senders.subList(0, half), sent);
      awaitDecided(kafka, decorated, outputsEnd.get(decorated), truth.prefix(), sent.size());
      if (chaos) {
        out.printf("chaos: %d tail events decided; kill -9 the speed layer (pid %d) and start it again%n", sent.size(), speed.pid());
        speed.destroyForcibly().waitFor();
        speed = builder.start();
        sendTail(sender, senders.subList(half, senders.size()), sent);
      }
      out.printf("sent %d tail events; waiting for the speed layer to decide each of them%n", sent.size());
      awaitDecided(kafka, decorated, outputsEnd.get(decorated), truth.prefix(), sent.size());
      Map<String, Long> byRule = new TreeMap<>();
      kafka.jsonRecordsAfter(speedConfig.notificationsTopic(), outputsEnd.get(speedConfig.notificationsTopic())).stream()
          .filter(r -> r.getOrDefault("user_key", "").startsWith(truth.prefix()))
          .forEach(r -> byRule.merge(r.getOrDefault("rule", "?"), 1L, Long::sum));
      out.println("notifications by rule: " + (byRule.isEmpty() ? "none" : byRule));
      DemoTruth withTail = truth.withTail(sent);
      withTail.write(truthFile);
      Map<String, Object> offsets = Map.of("good", goodEnd, "outputs", outputsEnd);
      Files.writeString(truthFile.resolveSibling("offsets.json"),
          new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(offsets), StandardCharsets.UTF_8);
      return withTail;
    } finally {
      speed.destroy();
      if (!speed.waitFor(60, TimeUnit.SECONDS)) {
        speed.destroyForcibly();
      }
    }
  }

  private Process speed;

  /**
   * The live tail, as one list per sender: a cart for each chosen user, four carts worth 130 to 199
   * each for every fourth (a big spender today: the speed view's cart value passes 500 on the fourth),
   * and after every eighth a purchase by a newcomer the batch view does not know (held back by the gate).
   */
  static List<List<PlannedEvent>> tailEvents(List<UserTruth> chosen, String prefix, Instant at, Random random) {
    List<List<PlannedEvent>> senders = new ArrayList<>();
    for (int i = 0; i < chosen.size(); i++) {
      String user = chosen.get(i).user();
      int carts = i % 4 == 0 ? 4 : 1;
      List<PlannedEvent> events = new ArrayList<>();
      for (int c = 0; c < carts; c++) {
        double price = carts > 1 ? 130 + random.nextInt(70) : 20 + random.nextInt(180);
        events.add(new PlannedEvent(user, "add_to_cart", at.plusMillis(c), Map.of("sku", "sku-live-" + c, "price", price,
            "quantity", 1, "currency", "EUR")));
      }
      senders.add(events);
      if (i % 8 == 7) {
        String newcomer = prefix + "new" + (i / 8);
        senders.add(List.of(new PlannedEvent(newcomer, "purchase", at, Map.of("order_id", newcomer + "-1",
            "total", (double) (20 + random.nextInt(80)), "items", 1, "currency", "EUR"))));
      }
    }
    return senders;
  }

  private static void sendTail(CompactBatchSender sender, List<List<PlannedEvent>> senders, List<DemoTruth.TailEvent> sent)
      throws IOException, InterruptedException {
    for (List<PlannedEvent> events : senders) {
      Delivery delivery = new Delivery();
      sender.send(events.get(0).user(), events, false, false, delivery);
      // The ids the collector answered: the ones sent, or those it minted for a client that sends none.
      List<String> ids = delivery.acceptedIds();
      for (int k = 0; k < events.size(); k++) {
        Map<String, Object> properties = events.get(k).properties();
        Object value = properties.containsKey("price") ? properties.get("price") : properties.get("total");
        sent.add(new DemoTruth.TailEvent(events.get(k).user(), ids.get(ids.size() - events.size() + k),
            ((Number) value).doubleValue()));
      }
    }
  }

  /** Waits until the decorated topic holds a record for each of {@code carts} distinct tail events. */
  private void awaitDecided(KafkaTopics kafka, String decorated, Map<Integer, Long> from, String prefix, int carts)
      throws Exception {
    // A decorated record is {"rule", "event": the event as it came in, "state"}, keyed by user.
    await(carts + " live carts to be decided by the speed layer", Duration.ofMinutes(3), () -> kafka.jsonRecordsAfter(
        decorated, from).stream().filter(r -> r.getOrDefault("_key", "").startsWith(prefix))
        .map(r -> eventId(r.get("event"))).distinct().count() >= carts, this.speed);
  }

  private static String eventId(String eventJson) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(eventJson).path("event_id").asText();
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Chaos for a pipeline: {@code bin/spoor run ARGS} with each of {@code failpoints} armed once (a
   * marker directory of this run). The pipeline runs in one Spark application, so a job that reaches
   * its point halts the whole application there (as a SIGKILL would); the same command, same run id,
   * is run again and goes on from the crash, until it completes. Fails unless every point was reached.
   */
  private void haltingOnce(Config config, String prefix, List<String> failpoints, String... args)
      throws IOException, InterruptedException {
    Path once = home.resolve(config.getString("spoor.var-dir")).resolve("demo/failpoints-" + prefix);
    out.printf("chaos: bin/spoor %s, each job halting once at %s; run again after each halt%n", String.join(" ", args),
        String.join(", ", failpoints));
    Map<String, String> armed = Map.of("SPOOR_FAILPOINT", String.join(",", failpoints),
        "SPOOR_FAILPOINT_ONCE_DIR", once.toString());
    for (int runs = 1; exitOf(armed, args) != 0; runs++) {
      if (runs > failpoints.size()) {
        throw new IllegalStateException("chaos: bin/spoor " + String.join(" ", args) + " still fails after " + runs
            + " runs; see above");
      }
      out.printf("chaos: the pipeline halted; bin/spoor %s again%n", String.join(" ", args));
    }
    for (String failpoint : failpoints) {
      if (!Files.exists(once.resolve(failpoint))) {
        throw new IllegalStateException("chaos: failpoint " + failpoint + " was never reached by bin/spoor "
            + String.join(" ", args));
      }
      out.printf("chaos: halted once at %s, and the re-run went on from there%n", failpoint);
    }
  }

  /**
   * Chaos for the landing: a continuous lander taking 50 records per micro-batch halts itself right
   * after the Delta commit of its second micro-batch, before the checkpoint records it (failpoint
   * {@code lander.after-delta-commit-before-offset-commit}); {@code run hourly} then lands the rest
   * from that checkpoint, re-running the batch. Nothing may be lost or landed twice; verify checks it.
   */
  private void crashLanding(Config config) throws Exception {
    Path log = home.resolve(config.getString("spoor.var-dir")).resolve("demo/chaos-lander.log");
    Files.createDirectories(log.getParent());
    Files.deleteIfExists(log);
    ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/spoor").toString(), "land", "--continuous")
        .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    childEnvironment(builder.environment());
    builder.environment().put("SPOOR_LANDER_MAX_OFFSETS", "50");
    builder.environment().put("SPOOR_FAILPOINT", "lander.after-delta-commit-before-offset-commit@2");
    Process lander = builder.start();
    if (!lander.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)) {
      lander.destroyForcibly().waitFor();
      throw new IllegalStateException("chaos: the lander never reached its failpoint in 3 min (log: " + log + ")");
    }
    if (lander.exitValue() != 137) {
      throw new IllegalStateException("chaos: the lander exited with " + lander.exitValue()
          + " instead of halting at its failpoint (log: " + log + ")");
    }
    out.printf("chaos: the lander halted between its second Delta commit and its checkpoint (log: %s)%n", log);
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(String what, Duration timeout, Condition condition, Process process) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the process exited (status " + process.exitValue() + ") before " + what);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(500); // polling interval of a condition wait with a deadline
    }
  }

  /** The summary: traffic, then funnels, scores, segments and example queries from Trino. */
  private void summary(Config config, DemoTruth truth) {
    List<List<String>> traffic = new ArrayList<>();
    traffic.add(List.of("TRAFFIC", "COUNT"));
    traffic.add(List.of("events sent (incl. redelivered copies)", Long.toString(truth.events() + truth.redelivered())));
    traffic.add(List.of("accepted (distinct events)", Integer.toString(truth.acceptedIds().size())));
    traffic.add(List.of("redelivered copies (de-duplicated on landing)", Integer.toString(truth.redelivered())));
    traffic.add(List.of("rejected: invalid events (schema)", Integer.toString(truth.invalidEvents())));
    traffic.add(List.of("rejected: corrupt requests (parse)", Integer.toString(truth.corruptRequests())));
    TextTable.print(out, traffic);
    String where = "user_id LIKE '" + truth.prefix() + "%'";
    String window = "collector_tstamp BETWEEN from_iso8601_timestamp('" + truth.startedAt() + "') AND from_iso8601_timestamp('"
        + truth.sentAt() + "')";
    sql(config, "landed and cleaned (Trino)",
        "SELECT (SELECT count(*) FROM events WHERE " + where + ") AS landed, "
            + "(SELECT count(*) FROM events_clean WHERE " + where + ") AS cleaned, "
            + "(SELECT count(*) FROM bad_events WHERE " + window + ") AS bad_rows");
    sql(config, "bad rows by reason", "SELECT failure_type, count(*) AS bad_rows FROM bad_events WHERE " + window
        + " GROUP BY 1 ORDER BY 1");
    sql(config, "funnels: users reaching each step (all days)",
        "SELECT funnel, step, step_name, sum(users) AS users FROM funnel_daily GROUP BY 1, 2, 3 ORDER BY 1, 2");
    sql(config, "score distribution (conf/queries/score_distribution.sql)", readyQuery("score_distribution"));
    sql(config, "segment sizes", "SELECT segment, count(*) AS users FROM user_segments CROSS JOIN UNNEST(segments) AS t(segment) "
        + "GROUP BY 1 ORDER BY 2 DESC");
    for (String query : List.of("session_statistics", "retention_cohorts", "bad_row_reasons")) {
      sql(config, "example query conf/queries/" + query + ".sql", readyQuery(query));
    }
  }

  private String readyQuery(String name) {
    try {
      String text = Files.readString(home.resolve("conf/queries/" + name + ".sql"), StandardCharsets.UTF_8);
      text = text.replaceAll("(?m)--.*$", "").strip();
      return text.endsWith(";") ? text.substring(0, text.length() - 1) : text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read conf/queries/" + name + ".sql: " + e.getMessage(), e);
    }
  }

  private void sql(Config config, String title, String statement) {
    out.println();
    out.println("-- " + title);
    SqlRunner runner = new SqlRunner(dev.spoor.config.TrinoReader.from(config, home),
        config.getString("spoor.trino.catalog"), config.getString("spoor.trino.schema"));
    PrintWriter writer = new PrintWriter(out, true);
    runner.run(List.of(new SqlRunner.Statement0(statement, 1)), title, SqlRunner.Format.TABLE, writer, writer);
    writer.flush();
  }
}
