package dev.spoor.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.batch.config.BatchConfig;
import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.JobRunner;
import dev.spoor.batch.run.RunOptions;
import dev.spoor.batch.score.Scorecard;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.testing.spark.DatasetAssertions;
import dev.spoor.testing.spark.SparkExtension;
import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch pipeline end to end on a real Delta lake with the shipped configuration (conf/spoor.conf):
 * clean → sessionize → funnels → features → score → segments over a generated shop whose truth is
 * known ({@link TruthfulShop}), with redelivered, days-late and shuffled events. Every output is
 * compared with the truth; re-running a run id leaves every table as it was; a run after new and late
 * events writes only the rows of the users (and events) they touch, and again equals the truth.
 */
@ExtendWith(SparkExtension.class)
class BatchPipelineIT {
  private static final LocalDate FIRST = LocalDate.of(2026, 11, 1);
  // Late arrivals of the first days reach the collector up to four days later: all within the batch day.
  private static final LocalDate AS_OF = LocalDate.of(2026, 11, 19);
  private static final List<String> PIPELINE = List.of("clean", "sessionize", "funnels", "features", "score", "segments");

  @TempDir
  Path lake;

  private BatchConfig config;
  private Map<String, List<BatchJob>> jobs;

  private void runAll(SparkSession spark, String runId) {
    JobRunner runner = new JobRunner(spark, lake.toString());
    for (String verb : PIPELINE) {
      for (BatchJob job : jobs.get(verb)) {
        JobRunner.Outcome outcome = runner.run(job, new RunOptions(job.name(), runId, AS_OF, false));
        assertThat(outcome.status()).as(job.name() + " " + runId).isIn("succeeded", "already-succeeded");
      }
    }
  }

  private Dataset<Row> table(SparkSession spark, String name) {
    return spark.read().format("delta").load(lake.resolve(name).toString());
  }

  private long version(SparkSession spark, String name) {
    return DeltaTable.forPath(spark, lake.resolve(name).toString()).history(1).first().getLong(0);
  }

  private static final List<String> OUTPUTS = List.of("events_clean", "sessions", "funnel_progress", "funnel_daily",
      "user_features", "user_scores", "user_segments");

  @Test
  void thePipelineEqualsTheTruthIsIdempotentAndIncremental(SparkSession spark) {
    Path home = Path.of(System.getProperty("spoor.home", ".."));
    config = BatchConfig.from(SpoorConfigLoader.load(home), home);
    jobs = BatchMain.jobs(config);
    TruthfulShop shop = new TruthfulShop(20261122L);
    List<String> users = IntStream.range(0, 60).mapToObj(i -> String.format("user-%03d", i)).toList();
    var firstEvents = shop.visits(users, 5, FIRST, LocalDate.of(2026, 11, 14), 0.15, 0.05);
    TruthfulShop.rows(firstEvents).dataset(spark).write().format("delta").partitionBy("event_date")
        .save(lake.resolve("events").toString());

    runAll(spark, "day-1");
    assertMatchesTruth(spark, shop);

    // The same run id again: nothing is written anywhere.
    Map<String, Long> versions = new LinkedHashMap<>();
    OUTPUTS.forEach(t -> versions.put(t, version(spark, t)));
    Map<String, List<List<Object>>> contents = new HashMap<>();
    OUTPUTS.forEach(t -> contents.put(t, DatasetAssertions.rows(table(spark, t).selectExpr("to_json(struct(*))"))));
    runAll(spark, "day-1");
    OUTPUTS.forEach(t -> {
      assertThat(version(spark, t)).as(t + " version").isEqualTo(versions.get(t));
      assertThat(DatasetAssertions.rows(table(spark, t).selectExpr("to_json(struct(*))")))
          .as(t).containsExactlyInAnyOrderElementsOf(contents.get(t));
    });

    // New visits for a few users and two new users, and late visits (days ago) for two others.
    List<String> returning = List.of("user-003", "user-017", "user-042");
    List<String> newcomers = List.of("user-900", "user-901");
    List<String> late = List.of("user-008", "user-051");
    List<Map<String, String>> more = new ArrayList<>(shop.visits(
        java.util.stream.Stream.concat(returning.stream(), newcomers.stream()).toList(), 2,
        LocalDate.of(2026, 11, 15), AS_OF, 0.2, 0.0));
    more.addAll(shop.visits(late, 1, LocalDate.of(2026, 11, 3), LocalDate.of(2026, 11, 10), 2, 0.2, 1.0));
    TruthfulShop.rows(more).dataset(spark).write().format("delta").mode("append")
        .save(lake.resolve("events").toString());

    runAll(spark, "day-2");
    assertMatchesTruth(spark, shop);

    Set<String> touched = new TreeSet<>();
    touched.addAll(returning);
    touched.addAll(newcomers);
    touched.addAll(late);
    for (String output : List.of("sessions", "funnel_progress", "user_features", "user_scores", "user_segments")) {
      List<String> changed = spark.read().format("delta").option("readChangeFeed", "true")
          .option("startingVersion", versions.get(output) + 1).load(lake.resolve(output).toString())
          .select("user_key").distinct().as(Encoders.STRING()).collectAsList();
      assertThat(touched).as(output + " changed only for users with new events").containsAll(changed);
      if (output.equals("user_features") || output.equals("sessions")) {
        assertThat(changed).as(output + " changed for every user with new events").containsExactlyInAnyOrderElementsOf(touched);
      }
    }
    long newEvents = more.stream().map(e -> e.get("event_id")).distinct().count();
    assertThat(spark.read().format("delta").option("readChangeFeed", "true")
        .option("startingVersion", versions.get("events_clean") + 1).load(lake.resolve("events_clean").toString())
        .count()).as("events_clean: one insert per new event, nothing else").isEqualTo(newEvents);
    assertThat(table(spark, "batch_runs").filter("run_id = 'day-2'").select("mode").distinct()
        .as(Encoders.STRING()).collectAsList()).containsExactlyInAnyOrder("incremental", "all");
  }

  private void assertMatchesTruth(SparkSession spark, TruthfulShop shop) {
    Map<String, TruthfulShop.UserTruth> truth = shop.truth();

    // events_clean: every event exactly once.
    List<String> ids = table(spark, "events_clean").select("event_id").as(Encoders.STRING()).collectAsList();
    Set<String> expectedIds = truth.values().stream().flatMap(u -> u.visits().stream())
        .flatMap(v -> v.events().stream()).map(e -> e.get("event_id")).collect(Collectors.toSet());
    assertThat(ids).hasSize(expectedIds.size()).containsExactlyInAnyOrderElementsOf(expectedIds);

    // sessions: one per visit.
    List<List<Object>> sessions = new ArrayList<>();
    truth.values().forEach(u -> u.visits().forEach(v -> sessions.add(List.of(u.user(), Timestamp.from(v.start()),
        Timestamp.from(v.end()), (long) v.events().size()))));
    DatasetAssertions.assertRowsEqual(table(spark, "sessions").select("user_key", "session_start", "session_end", "event_count"),
        sessions);

    // funnel_progress: the deepest visit for checkout; premium_cart from the cart prices.
    List<List<Object>> levels = new ArrayList<>();
    truth.values().forEach(u -> {
      if (u.checkoutLevel() > 0) {
        levels.add(List.of(u.user(), "checkout", u.checkoutLevel()));
      }
      levels.add(List.of(u.user(), "premium_cart", u.premiumLevel()));
    });
    DatasetAssertions.assertRowsEqual(table(spark, "funnel_progress").select("user_key", "funnel", "level"), levels);
    // funnel_daily: over all days, users reaching each step.
    List<List<Object>> perStep = new ArrayList<>();
    for (int step = 1; step <= 3; step++) {
      int s = step;
      long users = truth.values().stream().filter(u -> u.checkoutLevel() >= s).count();
      if (users > 0) {
        perStep.add(List.of("checkout", step, users));
      }
    }
    perStep.add(List.of("premium_cart", 1, (long) truth.size()));
    perStep.add(List.of("premium_cart", 2, truth.values().stream().filter(u -> u.premiumLevel() == 2).count()));
    DatasetAssertions.assertRowsEqual(table(spark, "funnel_daily").groupBy("funnel", "step").sum("users"), perStep);

    // user_features.
    List<List<Object>> features = new ArrayList<>();
    Map<String, Map<String, Double>> scoreInputs = new HashMap<>();
    truth.values().forEach(u -> {
      int recency = (int) ChronoUnit.DAYS.between(u.lastSeen().atOffset(ZoneOffset.UTC).toLocalDate(), AS_OF);
      int tenure = (int) ChronoUnit.DAYS.between(u.firstSeen().atOffset(ZoneOffset.UTC).toLocalDate(), AS_OF);
      long converted = u.checkoutLevel() == 3 ? 1 : 0;
      converted += u.premiumLevel() == 2 ? 1 : 0;
      features.add(List.of(u.user(), Timestamp.from(u.firstSeen()), Timestamp.from(u.lastSeen()), recency, tenure,
          u.events(), u.activeDays(), u.pageViews(), u.cartAdds(), u.purchases(), u.monetary(), (long) u.visits().size(),
          converted));
      scoreInputs.put(u.user(), Map.of("recency_days", (double) recency, "purchases", (double) u.purchases(),
          "monetary", u.monetary(), "sessions", (double) u.visits().size(), "tenure_days", (double) tenure));
    });
    DatasetAssertions.assertRowsEqual(table(spark, "user_features").select("user_key", "first_seen", "last_seen",
        "recency_days", "tenure_days", "events", "active_days", "page_views", "cart_adds", "purchases", "monetary",
        "sessions", "funnels_converted"), features);

    // user_scores: the scorecard's reference evaluation of the true features.
    Scorecard card = config.scorecard();
    List<List<Object>> scores = new ArrayList<>();
    Map<String, Integer> scoreOf = new HashMap<>();
    scoreInputs.forEach((user, values) -> {
      Scorecard.Score score = card.score(values);
      scoreOf.put(user, score.score());
      scores.add(List.of(user, score.score(), scala.jdk.javaapi.CollectionConverters.asScala(score.codes()).toSeq()));
    });
    DatasetAssertions.assertRowsEqual(table(spark, "user_scores").select("user_key", "score", "reason_codes"), scores);

    // user_segments: the shipped rules, restated here over the true features.
    List<List<Object>> segments = new ArrayList<>();
    truth.values().forEach(u -> {
      int recency = (int) ChronoUnit.DAYS.between(u.lastSeen().atOffset(ZoneOffset.UTC).toLocalDate(), AS_OF);
      List<String> in = new ArrayList<>();
      if (u.purchases() >= 1 && recency >= 14) {
        in.add("at_risk");
      }
      if (u.purchases() == 0 && u.cartAdds() == 0) {
        in.add("browsers");
      }
      if (u.purchases() >= 1) {
        in.add("buyers");
      }
      if (u.cartAdds() > 0 && u.purchases() == 0) {
        in.add("cart_abandoners");
      }
      if (scoreOf.get(u.user()) >= 750) {
        in.add("vip");
      }
      segments.add(List.of(u.user(), scala.jdk.javaapi.CollectionConverters.asScala(in).toSeq()));
    });
    assertThat(config.segments().rules().keySet()).as("the rules restated above")
        .containsExactlyInAnyOrder("at_risk", "browsers", "buyers", "cart_abandoners", "vip");
    DatasetAssertions.assertRowsEqual(table(spark, "user_segments").select("user_key", "segments"), segments);
  }
}
