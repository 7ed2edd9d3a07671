package dev.spoor.bench.batch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import com.typesafe.config.ConfigFactory;
import dev.spoor.batch.event.EventView;
import dev.spoor.lake.PropertiesSchema;
import dev.spoor.batch.funnel.FunnelEvaluation;
import dev.spoor.batch.funnel.FunnelSpec;
import dev.spoor.batch.session.Sessionize;
import dev.spoor.bench.BenchmarkReport;
import dev.spoor.config.Settings;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.lake.LakeSettings;
import dev.spoor.lake.SparkSessions;
import dev.spoor.lake.TrinoRegistry;
import dev.spoor.stack.LocalStack;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Sessionize and a three-step funnel over N generated events (default 10 M, 50 per user) in one Delta
 * table, computed by Spoor's Spark code and by the same computations written as Trino SQL (window
 * functions; {@code MATCH_RECOGNIZE}) over the same table in the same run. Both sides' results are
 * compared, so the timings are of equal work.
 *
 * <p>Usage: {@code bin/spoor bench batch [--events N]} (starts Trino if it is not running; to give it the
 * heap Spark has, start it with {@code SPOOR_TRINO_HEAP=3g}).
 */
public final class BatchBenchmark {
  static final String FUNNEL = """
      checkout {
        window = 1h
        steps = [
          { where = "event_name = 'product_view'" }
          { where = "event_name = 'add_to_cart'" }
          { where = "event_name = 'purchase'" }
        ]
      }
      """;

  /**
   * Per output row, a number both engines compute alike from the row's values (the user's number, and
   * the session's start, end and event count, or the funnel level), squared modulo a prime so that no
   * exchange of values between rows cancels out; summed over the rows, it compares the outputs row by
   * row without moving them out of either engine. {@code %1$s} is the user id column, the rest the values.
   */
  static String rowHash(String user, String... values) {
    StringBuilder sum = new StringBuilder("CAST(substr(" + user + ", 2) AS BIGINT) * 1000003");
    long[] weights = {7, 13, 17};
    for (int i = 0; i < values.length; i++) {
      sum.append(" + ").append(values[i]).append(" * ").append(weights[i]);
    }
    String v = "mod(" + sum + ", 1000000007)"; // mod(), not %: the SQL is a format string too
    return "mod(" + v + " * " + v + ", 1000000007)";
  }

  static final String TRINO_SESSIONS = """
      SELECT count(*) AS sessions, sum(events) AS events, sum(%s) AS row_hash FROM (
        SELECT user_id, session_index, count(*) AS events, min(derived_tstamp) AS session_start,
               max(derived_tstamp) AS session_end
        FROM (
          SELECT user_id, derived_tstamp,
                 sum(new_session) OVER (PARTITION BY user_id ORDER BY derived_tstamp, event_id
                                        ROWS UNBOUNDED PRECEDING) AS session_index
          FROM (
            SELECT user_id, event_id, derived_tstamp,
                   CASE WHEN to_unixtime(derived_tstamp) - to_unixtime(lag(derived_tstamp) OVER (
                          PARTITION BY user_id ORDER BY derived_tstamp, event_id)) <= 1800 THEN 0 ELSE 1 END AS new_session
            FROM %%s))
        GROUP BY user_id, session_index)
      """.formatted(rowHash("user_id", "CAST(to_unixtime(session_start) AS BIGINT)",
          "CAST(to_unixtime(session_end) AS BIGINT)", "events"));

  static final String TRINO_FUNNEL = """
      SELECT level, count(*) AS users, sum(%s) AS row_hash FROM (
        SELECT user_id, max(level) AS level
        FROM %%s
        MATCH_RECOGNIZE (
          PARTITION BY user_id
          ORDER BY derived_tstamp, event_id
          MEASURES CASE classifier() WHEN 'C' THEN 3 WHEN 'B' THEN 2 ELSE 1 END AS level
          ONE ROW PER MATCH
          AFTER MATCH SKIP TO NEXT ROW
          PATTERN (A (Z*? B (Z*? C)?)?)
          DEFINE
            A AS event_name = 'product_view',
            B AS event_name = 'add_to_cart' AND derived_tstamp <= A.derived_tstamp + INTERVAL '1' HOUR,
            C AS event_name = 'purchase' AND derived_tstamp <= A.derived_tstamp + INTERVAL '1' HOUR,
            Z AS derived_tstamp <= A.derived_tstamp + INTERVAL '1' HOUR)
        GROUP BY user_id)
      GROUP BY level ORDER BY level
      """.formatted(rowHash("user_id", "level"));

  private BatchBenchmark() {}

  public static void main(String[] args) throws Exception {
    long events = longArg(args, "--events", 10_000_000L);
    long users = Math.max(1, events / 50);
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
    Config config = SpoorConfigLoader.load(home);
    LocalStack stack = LocalStack.fromHome(home);
    stack.up(List.of("trino"), System.out::println);
    LakeSettings lake = LakeSettings.from(config);
    Path dir = home.resolve("var/bench/batch-lake").toAbsolutePath();
    String table = dir.resolve("events_" + events).toString();
    SparkSession spark = SparkSessions.forJob("spoor-bench-batch", "local[2]", 16);

    double generateSeconds = -1;
    if (!Files.isDirectory(Path.of(table, "_delta_log"))) {
      System.out.printf("generating %,d events for %,d users into %s%n", events, users, table);
      long t = System.nanoTime();
      generate(spark, events, users).write().format("delta").partitionBy("event_date").save(table);
      generateSeconds = (System.nanoTime() - t) / 1e9;
    }
    Dataset<Row> input = spark.read().format("delta").load(table);
    LakeSettings benchLake = lake.forLake(dir.toString(), "spoor_bench");
    new TrinoRegistry(benchLake).register(Map.of("events_" + events, table));
    String trinoTable = benchLake.trinoCatalog() + ".spoor_bench.events_" + events;

    List<String[]> rows = new ArrayList<>();
    try (Connection trino = connect(benchLake)) {
      Timed<String> sparkSessions = timeWarm(() -> {
        Row r = Sessionize.sessions(input, Duration.ofMinutes(30)).agg(count(lit(1)), sum("event_count"),
            sum(expr(rowHash("user_key", "unix_seconds(session_start)", "unix_seconds(session_end)", "event_count"))))
            .first();
        return r.getLong(0) + " sessions, " + r.getLong(1) + " events, row hash " + r.getLong(2);
      });
      Timed<String> trinoSessions = timeWarm(() -> query(trino, TRINO_SESSIONS.formatted(trinoTable),
          rs -> rs.getLong(1) + " sessions, " + rs.getLong(2) + " events, row hash " + rs.getLong(3)));
      rows.add(row("sessionize (30 min gap)", sparkSessions, trinoSessions));

      List<FunnelSpec> specs = FunnelSpec.parseAll(ConfigFactory.parseString(FUNNEL), "bench");
      var properties = PropertiesSchema.fromSchemas(Settings.of(config, "spoor.ingest").path("schemas-dir", home));
      Timed<String> sparkFunnel = timeWarm(() -> levels(FunnelEvaluation.progress(EventView.of(input, properties), specs)
          .groupBy("level").agg(count(lit(1)), sum(expr(rowHash("user_key", "level")))).collectAsList()));
      Timed<String> trinoFunnel = timeWarm(() -> query(trino, TRINO_FUNNEL.formatted(trinoTable), rs -> {
        List<Row> levels = new ArrayList<>();
        do {
          levels.add(org.apache.spark.sql.RowFactory.create(rs.getInt(1), rs.getLong(2), rs.getLong(3)));
        } while (rs.next());
        return levels(levels);
      }));
      rows.add(row("funnel, 3 steps, 1 h window", sparkFunnel, trinoFunnel));
    }
    List<String[]> merges = mergeCost(spark, input, dir, events);
    spark.stop();

    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "%,d events, %,d users, %d days, one Delta table generated by the benchmark; "
        + "Spark local[2] in one JVM (%s heap) vs Trino 476 single node (the stack's, JDK 25, %s heap) over the same "
        + "table, each query run twice in a row and the second run timed (both sides warm).%s%n%n",
        events, users, 14, System.getenv().getOrDefault("SPOOR_JOB_HEAP", "3g"),
        config.getString("spoor.stack.trino.heap"),
        generateSeconds < 0 ? "" : String.format(Locale.ROOT, " Generating the table took %.0f s.", generateSeconds)));
    md.append("| computation | Spark (Spoor code) | Trino SQL | Trino / Spark | results equal, row by row |\n|---|---|---|---|---|\n");
    for (String[] r : rows) {
      md.append("| ").append(String.join(" | ", java.util.Arrays.copyOf(r, 5))).append(" |\n");
    }
    md.append("\nBoth engines sort each user's events once per computation. Spark's sessionize then reads each partition\n"
        + "once and makes each session's row as the next starts (start, end, count, and also the entry and exit page,\n"
        + "events per name and first event, which Trino's query does not compute), where Trino evaluates two window\n"
        + "functions and a GROUP BY; Spark's funnel evaluates the conditions as\n"
        + "SQL and each user's chain in one pass (`WindowFunnel`), where `MATCH_RECOGNIZE` backtracks from every\n"
        + "`product_view`. Both sides compute the same output columns (per session: user, start, end, event count;\n"
        + "per user: funnel level) and, per output row, the same number from its values (`rowHash`: squared modulo a\n"
        + "prime, so no exchange of values between rows cancels out), summed: equal sums and counts mean equal rows.\n"
        + "Results: ");
    md.append(String.join("; ", rows.stream().map(r -> r[0] + " → " + r[5]).toList()));
    md.append("\n\nAn incremental run's MERGE, with Delta materializing its source (`merge.materializeSource=auto`, what\n"
        + "every job runs with: the source is a recomputation joined with the target it rewrites) and without it\n"
        + "(`none`, what jobs ran with before): the sessions of the users whose id hashes to 0 mod 100 (1 %) recomputed\n"
        + "without 5 % of their page views and merged into a fresh copy of the full sessions table (copies made\n"
        + "untimed, one per mode, same rows; `auto` runs first). Both resulting tables are compared row by row: equal\n"
        + "(the benchmark fails otherwise).\n\n"
        + "| MERGE of 1 % of users' sessions | time | rows changed (inserted / updated / deleted) |\n|---|---|---|\n");
    for (String[] r : merges) {
      md.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    md.append("\n\nCommand: `SPOOR_TRINO_HEAP=").append(config.getString("spoor.stack.trino.heap"))
        .append(" bin/spoor bench batch --events ").append(events).append("` (Trino SQL in ")
        .append("`bench/src/main/java/dev/spoor/bench/batch/BatchBenchmark.java`).\n");
    System.out.print(md);
    BenchmarkReport.write(home.resolve("docs/BENCHMARKS.md"), "batch", md.toString());
  }

  /**
   * The same DiffMerge of a 1 % scope into identical copies of the sessions table, once per
   * {@code merge.materializeSource} mode; fails unless the two results are the same rows.
   */
  static List<String[]> mergeCost(SparkSession spark, Dataset<Row> input, Path dir, long events) {
    Duration gap = Duration.ofMinutes(30);
    String full = dir.resolve("sessions_" + events).toString();
    if (!Files.isDirectory(Path.of(full, "_delta_log"))) {
      Sessionize.sessions(input, gap).write().format("delta").partitionBy("session_date").save(full);
    }
    org.apache.spark.sql.Column inScope = org.apache.spark.sql.functions.expr("pmod(hash(user_key), 100) = 0");
    org.apache.spark.sql.Column scopedEvent = org.apache.spark.sql.functions.expr("pmod(hash(user_id), 100) = 0");
    List<String> keys = new dev.spoor.batch.session.SessionizeJob(gap).keyColumns();
    String setting = "spark.databricks.delta.merge.materializeSource";
    String before = spark.conf().get(setting, "auto");
    List<String[]> rows = new ArrayList<>();
    List<String> copies = new ArrayList<>();
    for (String mode : List.of("auto", "none")) {
      String copy = dir.resolve("sessions_merge_" + mode).toString();
      spark.read().format("delta").load(full).write().format("delta").mode("overwrite").partitionBy("session_date")
          .save(copy);
      Dataset<Row> current = spark.read().format("delta").load(copy).filter(inScope);
      Dataset<Row> fresh = Sessionize.sessions(input.filter(scopedEvent).filter("NOT (event_name = 'page_view' AND "
          + "pmod(hash(event_id), 100) < 5)"), gap);
      spark.conf().set(setting, mode);
      Timed<dev.spoor.batch.run.DiffMerge.Changes> merged = time(() ->
          dev.spoor.batch.run.DiffMerge.apply(spark, copy, current, fresh, keys));
      var c = merged.value();
      rows.add(new String[] {"`materializeSource=" + mode + "`", String.format(Locale.ROOT, "%.1f s", merged.seconds()),
          String.format(Locale.ROOT, "%,d (%,d / %,d / %,d)", c.total(), c.inserted(), c.updated(), c.deleted())});
      copies.add(copy);
    }
    spark.conf().set(setting, before);
    // Rows as JSON text: set operations do not take map columns (events_by_name).
    Dataset<Row> a = spark.read().format("delta").load(copies.get(0)).selectExpr("to_json(struct(*)) AS row");
    Dataset<Row> b = spark.read().format("delta").load(copies.get(1)).selectExpr("to_json(struct(*)) AS row");
    long differing = a.exceptAll(b).count() + b.exceptAll(a).count();
    if (differing != 0) {
      throw new IllegalStateException("the MERGE results differ by " + differing + " rows between the two modes");
    }
    return rows;
  }

  /** Events of {@code users} users, 50-ish each, strictly increasing per user, gaps of 0 to 40 minutes. */
  static Dataset<Row> generate(SparkSession spark, long events, long users) {
    return spark.range(events).selectExpr(
            "id",
            "id % " + users + " AS u",
            "CAST(id DIV " + users + " AS BIGINT) AS k")
        .selectExpr(
            "format_string('e%012d', id) AS event_id",
            "format_string('u%08d', u) AS user_id",
            "CAST(NULL AS STRING) AS domain_userid",
            "pmod(hash(id, 7), 100) AS r",
            "timestamp_seconds(1793491200 + pmod(hash(u), 14) * 86400 + k * 1200 + pmod(hash(id, 3), 1200)) AS derived_tstamp")
        .selectExpr(
            "event_id", "user_id", "domain_userid",
            "CASE WHEN r < 50 THEN 'page_view' WHEN r < 80 THEN 'product_view' WHEN r < 93 THEN 'add_to_cart' "
                + "ELSE 'purchase' END AS event_name",
            "derived_tstamp",
            "r")
        .selectExpr(
            "event_id", "user_id", "domain_userid", "event_name", "derived_tstamp",
            "concat('https://shop.example/', event_name) AS page_url",
            "CASE event_name WHEN 'add_to_cart' THEN format_string('{\"sku\":\"s%d\",\"price\":%d.5,\"quantity\":1}', r, r) "
                + "WHEN 'purchase' THEN format_string('{\"order_id\":\"o%d\",\"total\":%d.5,\"items\":1}', r, r) "
                + "ELSE '{}' END AS properties",
            "to_date(derived_tstamp) AS event_date");
  }

  /** Users per level, and the row hash of each level's users. */
  private static String levels(List<Row> rows) {
    Map<Integer, String> byLevel = new TreeMap<>();
    rows.forEach(r -> byLevel.put(((Number) r.get(0)).intValue(),
        ((Number) r.get(1)).longValue() + " users, row hash " + ((Number) r.get(2)).longValue()));
    return byLevel.toString();
  }

  record Timed<T>(T value, double seconds) {}

  /** One run of {@code body} (a MERGE changes its target: it is timed on a fresh copy instead). */
  private static <T> Timed<T> time(Supplier<T> body) {
    long t = System.nanoTime();
    T value = body.get();
    return new Timed<>(value, (System.nanoTime() - t) / 1e9);
  }

  interface SqlBody<T> {
    T read(ResultSet rs) throws java.sql.SQLException;
  }

  /**
   * The second of two runs of {@code body}: both engines are timed warm (the first run of a query in a
   * fresh JVM pays for class loading and code generation; Trino's server has long paid for its own).
   * Both runs must give the same result.
   */
  private static <T> Timed<T> timeWarm(Supplier<T> body) {
    T warmUp = body.get();
    long t = System.nanoTime();
    T value = body.get();
    double seconds = (System.nanoTime() - t) / 1e9;
    if (!value.equals(warmUp)) {
      throw new IllegalStateException("two runs of the same query differ: " + warmUp + " / " + value);
    }
    return new Timed<>(value, seconds);
  }

  private static <T> T query(Connection trino, String sql, SqlBody<T> body) {
    try (Statement s = trino.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new IllegalStateException("no result from Trino for " + sql);
      }
      return body.read(rs);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("Trino: " + e.getMessage(), e);
    }
  }

  private static String[] row(String name, Timed<String> spark, Timed<String> trino) {
    return new String[] {name, String.format(Locale.ROOT, "%.1f s", spark.seconds()),
        String.format(Locale.ROOT, "%.1f s", trino.seconds()),
        String.format(Locale.ROOT, "%.2f×", trino.seconds() / spark.seconds()),
        spark.value().equals(trino.value()) ? "yes" : "NO", spark.value()
            + (spark.value().equals(trino.value()) ? "" : " (Trino: " + trino.value() + ")")};
  }

  private static Connection connect(LakeSettings settings) throws java.sql.SQLException {
    Properties props = new Properties();
    props.setProperty("user", settings.trinoUser());
    return DriverManager.getConnection(settings.trinoUrl(), props);
  }

  private static long longArg(String[] args, String name, long fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Long.parseLong(args[i + 1].replace("_", ""));
      }
    }
    return fallback;
  }
}
