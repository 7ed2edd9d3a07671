package dev.spoor.demo.verify;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.sort_array;

import dev.spoor.batch.config.BatchConfig;
import dev.spoor.batch.score.Scorecard;
import dev.spoor.demo.shop.DemoTruth;
import dev.spoor.demo.shop.UserTruth;
import dev.spoor.state.view.UserState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Compares every output of a demo run with the truth the generator recorded: the events landed and
 * cleaned (each accepted event exactly once), the bad rows by reason, sessions, funnel levels,
 * features, scores (the scorecard's reference evaluation of the true features), segments (the
 * configured predicates over the true features and scores) and the published state in HBase. The
 * speed layer's outputs are {@link SpeedChecks}'. Exact equality everywhere; each check lists its first
 * differences.
 */
public final class Verifier {
  private final SparkSession spark;
  private final String lakeRoot;
  private final BatchConfig config;

  public Verifier(SparkSession spark, String lakeRoot, BatchConfig config) {
    this.spark = spark;
    this.lakeRoot = lakeRoot;
    this.config = config;
  }

  private Dataset<Row> table(String name) {
    return spark.read().format("delta").load(lakeRoot + "/" + name);
  }

  private Dataset<Row> ofRun(String name, String column, DemoTruth truth) {
    return table(name).filter(col(column).startsWith(truth.prefix()));
  }

  private static Map<String, UserTruth> users(DemoTruth truth) {
    Map<String, UserTruth> users = new TreeMap<>();
    truth.users().forEach(u -> users.put(u.user(), u));
    return users;
  }

  public Check events(DemoTruth truth) {
    Map<String, Long> expected = new TreeMap<>();
    truth.acceptedIds().forEach(id -> expected.put(id, 1L));
    Map<String, Long> actual = new TreeMap<>();
    for (Row r : ofRun("events_clean", "user_id", truth).groupBy("event_id").count().collectAsList()) {
      actual.put(r.getString(0), r.getLong(1));
    }
    return new Check("events_clean: each accepted event once", expected.size(), actual.size(),
        Differences.of(expected, actual));
  }

  /**
   * The truth describes the batch as the demo ran it, before the live tail. Once a later hourly run
   * lands the tail's events, every batch output rightly counts them and the truth no longer applies: this
   * check says so in one line, so the tail's events are not mistaken for duplicates or a miscount.
   */
  public Check truthIsCurrent(DemoTruth truth) {
    List<String> tail = truth.tail().stream().map(DemoTruth.TailEvent::eventId).toList();
    long landed = tail.isEmpty() ? 0 : ofRun("events_clean", "user_id", truth).filter(col("event_id").isin(tail.toArray()))
        .select("event_id").distinct().count();
    List<String> differences = landed == 0 ? List.of() : List.of(landed + " of " + tail.size()
        + " live-tail events are in events_clean: the batch ran after the demo's live tail, which the truth describes"
        + " as after the batch; run bin/spoor demo again for a truth of the batch as it is");
    return new Check("truth is current: the live tail is not in the batch", 0, landed, differences);
  }

  public Check badRows(DemoTruth truth) {
    Map<String, Long> expected = new TreeMap<>();
    if (truth.invalidEvents() > 0) {
      expected.put("schema", (long) truth.invalidEvents());
    }
    if (truth.corruptRequests() > 0) {
      expected.put("parse", (long) truth.corruptRequests());
    }
    Map<String, Long> actual = new TreeMap<>();
    java.sql.Timestamp from = java.sql.Timestamp.from(truth.startedAt());
    java.sql.Timestamp to = java.sql.Timestamp.from(truth.sentAt());
    for (Row r : table("bad_events").filter(col("collector_tstamp").between(from, to)).groupBy("failure_type").count()
        .collectAsList()) {
      actual.put(r.getString(0), r.getLong(1));
    }
    return new Check("bad_events: rejections by reason", expected.values().stream().mapToLong(Long::longValue).sum(),
        actual.values().stream().mapToLong(Long::longValue).sum(), Differences.of(expected, actual));
  }

  public Check sessions(DemoTruth truth) {
    Map<String, List<Long>> expected = new TreeMap<>();
    users(truth).forEach((user, u) -> expected.put(user,
        u.visits().stream().map(v -> (long) v.events().size()).sorted().toList()));
    Map<String, List<Long>> actual = new TreeMap<>();
    for (Row r : ofRun("sessions", "user_key", truth).groupBy("user_key")
        .agg(sort_array(collect_list(col("event_count").cast("long")))).collectAsList()) {
      actual.put(r.getString(0), r.<Long>getList(1));
    }
    return new Check("sessions: one per visit, events per session", count(expected), count(actual),
        Differences.of(expected, actual));
  }

  public Check funnels(DemoTruth truth) {
    Map<String, Integer> expected = new TreeMap<>();
    users(truth).forEach((user, u) -> {
      if (u.checkoutLevel() > 0) {
        expected.put(user + " checkout", u.checkoutLevel());
      }
      expected.put(user + " premium_cart", u.premiumLevel());
    });
    Map<String, Integer> actual = new TreeMap<>();
    for (Row r : ofRun("funnel_progress", "user_key", truth).select("user_key", "funnel", "level").collectAsList()) {
      actual.put(r.getString(0) + " " + r.getString(1), r.getInt(2));
    }
    return new Check("funnel_progress: level per user and funnel", expected.size(), actual.size(),
        Differences.of(expected, actual));
  }

  public Check features(DemoTruth truth) {
    Map<String, String> expected = new TreeMap<>();
    users(truth).forEach((user, u) -> expected.put(user, String.format(java.util.Locale.ROOT,
        "events=%d page_views=%d cart_adds=%d purchases=%d monetary=%.2f sessions=%d active_days=%d recency=%d tenure=%d",
        u.events(), u.pageViews(), u.cartAdds(), u.purchases(), u.monetary(), u.visits().size(), u.activeDays(),
        u.recencyDays(truth.asOf()), u.tenureDays(truth.asOf()))));
    Map<String, String> actual = new TreeMap<>();
    for (Row r : ofRun("user_features", "user_key", truth).select("user_key", "events", "page_views", "cart_adds",
        "purchases", "monetary", "sessions", "active_days", "recency_days", "tenure_days").collectAsList()) {
      actual.put(r.getString(0), String.format(java.util.Locale.ROOT,
          "events=%d page_views=%d cart_adds=%d purchases=%d monetary=%.2f sessions=%d active_days=%d recency=%d tenure=%d",
          num(r, 1), num(r, 2), num(r, 3), num(r, 4), r.isNullAt(5) ? 0.0 : ((Number) r.get(5)).doubleValue(), num(r, 6),
          num(r, 7), num(r, 8), num(r, 9)));
    }
    return new Check("user_features: counts, revenue, recency, tenure", expected.size(), actual.size(),
        Differences.of(expected, actual));
  }

  private static long num(Row row, int i) {
    return row.isNullAt(i) ? 0 : ((Number) row.get(i)).longValue();
  }

  /** The true score and reason codes of each user, by the scorecard's reference evaluation. */
  public Map<String, Scorecard.Score> trueScores(DemoTruth truth) {
    Map<String, Scorecard.Score> scores = new TreeMap<>();
    users(truth).forEach((user, u) -> scores.put(user, config.scorecard().score(u.scoreInputs(truth.asOf()))));
    return scores;
  }

  public Check scores(DemoTruth truth) {
    Map<String, String> expected = new TreeMap<>();
    trueScores(truth).forEach((user, s) -> expected.put(user, s.score() + " " + s.codes()));
    Map<String, String> actual = new TreeMap<>();
    for (Row r : ofRun("user_scores", "user_key", truth).select("user_key", "score", "reason_codes").collectAsList()) {
      actual.put(r.getString(0), r.getInt(1) + " " + r.<String>getList(2));
    }
    return new Check("user_scores: scorecard of the true features", expected.size(), actual.size(),
        Differences.of(expected, actual));
  }

  /** The true segments: the configured predicates evaluated over the true features and scores. */
  public Map<String, List<String>> trueSegments(DemoTruth truth) {
    Map<String, Scorecard.Score> scores = trueScores(truth);
    List<Row> rows = new ArrayList<>();
    users(truth).forEach((user, u) -> rows.add(org.apache.spark.sql.RowFactory.create(user, scores.get(user).score(),
        u.purchases(), u.cartAdds(), u.pageViews(), u.events(), (long) u.visits().size(), u.monetary(),
        u.recencyDays(truth.asOf()), u.tenureDays(truth.asOf()))));
    var schema = new org.apache.spark.sql.types.StructType().add("user_key", "string").add("score", "int")
        .add("purchases", "long").add("cart_adds", "long").add("page_views", "long").add("events", "long")
        .add("sessions", "long").add("monetary", "double").add("recency_days", "int").add("tenure_days", "int");
    Dataset<Row> facts = spark.createDataFrame(rows, schema);
    Map<String, List<String>> segments = new TreeMap<>();
    users(truth).keySet().forEach(user -> segments.put(user, new ArrayList<>()));
    for (Map.Entry<String, String> rule : new TreeMap<>(config.segments().rules()).entrySet()) {
      for (Row r : facts.filter(org.apache.spark.sql.functions.expr(rule.getValue())).select("user_key").collectAsList()) {
        segments.get(r.getString(0)).add(rule.getKey());
      }
    }
    return segments;
  }

  public Check segments(DemoTruth truth) {
    Map<String, List<String>> expected = new TreeMap<>();
    trueSegments(truth).forEach((user, s) -> expected.put(user, s.stream().sorted().toList()));
    Map<String, List<String>> actual = new TreeMap<>();
    for (Row r : ofRun("user_segments", "user_key", truth).select("user_key", "segments").collectAsList()) {
      actual.put(r.getString(0), r.<String>getList(1).stream().sorted().toList());
    }
    return new Check("user_segments: predicates over the true features", expected.size(), actual.size(),
        Differences.of(expected, actual));
  }

  /** The published state of every user equals their true score and segments. */
  public Check state(DemoTruth truth, Map<String, UserState> published) {
    Map<String, String> expected = new TreeMap<>();
    Map<String, Scorecard.Score> scores = trueScores(truth);
    trueSegments(truth).forEach((user, s) -> expected.put(user, scores.get(user).score() + " " + new TreeSet<>(s)));
    Map<String, String> actual = new TreeMap<>();
    published.forEach((user, s) -> actual.put(user, s.score() + " " + new TreeSet<>(s.segments())));
    return new Check("state store: published score and segments", expected.size(), actual.size(),
        Differences.of(expected, actual));
  }

  /**
   * Each user's batch view as the truth gives it: the true score, reason codes and segments, the
   * funnel levels reached and the true features (version 0: the truth has none).
   */
  public Map<String, UserState> trueStates(DemoTruth truth) {
    Map<String, Scorecard.Score> scores = trueScores(truth);
    Map<String, List<String>> segments = trueSegments(truth);
    Map<String, UserState> states = new TreeMap<>();
    users(truth).forEach((user, u) -> {
      Map<String, Object> features = new TreeMap<>(Map.of("events", u.events(), "page_views", u.pageViews(),
          "cart_adds", u.cartAdds(), "purchases", u.purchases(), "monetary", u.monetary(), "sessions", (long) u.visits().size(),
          "active_days", u.activeDays(), "recency_days", u.recencyDays(truth.asOf()), "tenure_days", u.tenureDays(truth.asOf())));
      Map<String, Integer> funnels = new TreeMap<>(Map.of("premium_cart", u.premiumLevel()));
      if (u.checkoutLevel() > 0) {
        funnels.put("checkout", u.checkoutLevel());
      }
      states.put(user, new UserState(user, 0, scores.get(user).score(), scores.get(user).codes(), segments.get(user),
          features, funnels));
    });
    return states;
  }

  private static long count(Map<String, List<Long>> sessions) {
    return sessions.values().stream().mapToLong(List::size).sum();
  }

  /** Every check that needs only the lake, in the order they are printed. */
  public List<Check> lakeChecks(DemoTruth truth) {
    return List.of(truthIsCurrent(truth), events(truth), badRows(truth), sessions(truth), funnels(truth), features(truth), scores(truth),
        segments(truth));
  }
}
