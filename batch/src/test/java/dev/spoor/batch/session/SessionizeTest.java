package dev.spoor.batch.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.batch.EventRows;
import dev.spoor.testing.spark.DatasetAssertions;
import dev.spoor.testing.spark.SparkExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkExtension.class)
class SessionizeTest {
  private static final Duration GAP = Duration.ofMinutes(30);

  /** Alice: 10:00, 10:10, 10:40 (exactly 30 min later: same session), 11:20 (40 min: new), 11:25. Bob: one event. */
  private static EventRows input() {
    return new EventRows()
        .add("a1", "alice", "page_view", "2026-11-20T10:00:00Z", "https://shop.example/")
        .add("a2", "alice", "product_view", "2026-11-20T10:10:00Z", "https://shop.example/p/1")
        .add("a3", "alice", "add_to_cart", "2026-11-20T10:40:00Z", null)
        .add("a4", "alice", "page_view", "2026-11-20T11:20:00Z", "https://shop.example/p/2")
        .add("a5", "alice", "purchase", "2026-11-20T11:25:00Z", "https://shop.example/thanks")
        .add("b1", "bob", "page_view", "2026-11-20T23:59:00Z", "https://shop.example/")
        .add(Map.of("event_id", "c1", "domain_userid", "anon-1", "event_name", "page_view",
            "derived_tstamp", "2026-11-20T12:00:00Z", "page_url", "https://shop.example/c"));
  }

  private static List<List<Object>> table(Dataset<Row> sessions) {
    return DatasetAssertions.rows(sessions.select("user_key", "session_index", "session_start", "session_end",
        "duration_seconds", "event_count", "entry_page", "exit_page", "session_date").orderBy("user_key", "session_index"));
  }

  @Test
  void anInactivityGapLongerThanTheTimeoutStartsANewSession(SparkSession spark) {
    List<List<Object>> rows = table(Sessionize.sessions(input().dataset(spark), GAP));

    assertThat(rows).extracting(Object::toString).containsExactly(
        "[alice, 1, 2026-11-20 10:00:00.0, 2026-11-20 10:40:00.0, 2400.0, 3, https://shop.example/, https://shop.example/p/1, 2026-11-20]",
        "[alice, 2, 2026-11-20 11:20:00.0, 2026-11-20 11:25:00.0, 300.0, 2, https://shop.example/p/2, https://shop.example/thanks, 2026-11-20]",
        "[anon-1, 1, 2026-11-20 12:00:00.0, 2026-11-20 12:00:00.0, 0.0, 1, https://shop.example/c, https://shop.example/c, 2026-11-20]",
        "[bob, 1, 2026-11-20 23:59:00.0, 2026-11-20 23:59:00.0, 0.0, 1, https://shop.example/, https://shop.example/, 2026-11-20]");
  }

  @Test
  void eventsPerNameAndAStableSessionId(SparkSession spark) {
    List<Row> alice = Sessionize.sessions(input().dataset(spark), GAP).filter("user_key = 'alice'")
        .orderBy("session_index").collectAsList();

    assertThat(alice.get(0).<scala.collection.Map<String, Long>>getAs("events_by_name").toString())
        .isEqualTo("Map(add_to_cart -> 1, page_view -> 1, product_view -> 1)");
    assertThat(alice.get(0).<String>getAs("session_id")).hasSize(32)
        .isNotEqualTo(alice.get(1).<String>getAs("session_id"));
  }

  @Test
  void shuffledAndLateArrivalsGiveTheSameSessionsAsSortedInput(SparkSession spark) {
    Dataset<Row> sorted = Sessionize.sessions(input().dataset(spark), GAP);
    Dataset<Row> shuffled = Sessionize.sessions(input().shuffled(spark, 5), GAP);

    DatasetAssertions.assertSameRows(shuffled.drop("events_by_name"), sorted.drop("events_by_name"));
  }

  /**
   * The reference: sessions as window functions define them (the gap to the previous event by
   * (time, event id), a running sum of session starts, then aggregates per session), in SQL.
   */
  private static final String BY_WINDOWS = """
      WITH keyed AS (
        SELECT coalesce(user_id, domain_userid) AS user_key, derived_tstamp, event_id, event_name, page_url
        FROM events WHERE coalesce(user_id, domain_userid) IS NOT NULL),
      marked AS (
        SELECT *, sum(new) OVER (PARTITION BY user_key ORDER BY derived_tstamp, event_id
                                 ROWS UNBOUNDED PRECEDING) AS session_index
        FROM (SELECT *, CASE WHEN unix_micros(derived_tstamp) - unix_micros(lag(derived_tstamp) OVER (
                          PARTITION BY user_key ORDER BY derived_tstamp, event_id)) <= %d THEN 0 ELSE 1 END AS new
              FROM keyed)),
      names AS (
        SELECT user_key, session_index, event_name, count(*) AS n FROM marked GROUP BY user_key, session_index, event_name)
      SELECT m.user_key, CAST(m.session_index AS INT) AS session_index,
             min(struct(derived_tstamp, event_id)).event_id AS first_event_id,
             min(derived_tstamp) AS session_start, max(derived_tstamp) AS session_end, count(*) AS event_count,
             min(CASE WHEN page_url IS NOT NULL THEN struct(derived_tstamp, event_id, page_url) END).page_url AS entry_page,
             max(CASE WHEN page_url IS NOT NULL THEN struct(derived_tstamp, event_id, page_url) END).page_url AS exit_page,
             first(n.by_name) AS events_by_name
      FROM marked m JOIN (SELECT user_key, session_index, map_from_entries(sort_array(collect_list(struct(event_name, n))))
                          AS by_name FROM names GROUP BY user_key, session_index) n
        ON m.user_key = n.user_key AND m.session_index = n.session_index
      GROUP BY m.user_key, m.session_index
      """;

  private static final long SEED = Long.getLong("spoor.sessionize.seed", 20261204L);

  @Test
  void theOnePassGivesTheSessionsWindowFunctionsDefine(SparkSession spark) {
    EventRows rows = generated(new Random(SEED), 60);
    Dataset<Row> input = rows.shuffled(spark, SEED);
    input.createOrReplaceTempView("events");
    Dataset<Row> expected = spark.sql(BY_WINDOWS.formatted(GAP.toNanos() / 1000));
    Dataset<Row> actual = Sessionize.sessions(input, GAP);

    List<String> want = rowsOf(expected.selectExpr("user_key", "session_index",
        "substring(sha2(concat_ws('|', user_key, first_event_id), 256), 1, 32)", "session_start", "session_end",
        "event_count", "entry_page", "exit_page", "CAST(events_by_name AS STRING)"));
    assertThat(want).as("seed " + SEED + ": sessions of every shape").hasSizeGreaterThan(100);
    assertThat(rowsOf(actual.selectExpr("user_key", "session_index", "session_id", "session_start", "session_end",
        "event_count", "entry_page", "exit_page", "CAST(events_by_name AS STRING)")))
        .as("seed " + SEED).containsExactlyInAnyOrderElementsOf(want);
  }

  private static List<String> rowsOf(Dataset<Row> rows) {
    return rows.collectAsList().stream().map(Row::toString).toList();
  }

  /**
   * {@code users} users' events whose gaps fall on, just under and just over the timeout, or anywhere
   * up to two hours, with equal times (ordered by event id), pages on some events only, and every third
   * user known by a domain user id only.
   */
  private static EventRows generated(Random random, int users) {
    long[] edges = {0, GAP.toMillis() - 1, GAP.toMillis(), GAP.toMillis() + 1};
    EventRows rows = new EventRows();
    int i = 0;
    for (int u = 0; u < users; u++) {
      long millis = java.time.Instant.parse("2026-11-20T00:00:00Z").toEpochMilli();
      int events = 1 + random.nextInt(30);
      for (int e = 0; e < events; e++, i++) {
        millis += random.nextBoolean() ? edges[random.nextInt(edges.length)] : (long) random.nextInt(7_200_000);
        Map<String, String> event = new java.util.HashMap<>();
        event.put("event_id", String.format("e%05d", random.nextInt(100_000)) + "-" + i);
        event.put(u % 3 == 2 ? "domain_userid" : "user_id", "u" + u);
        event.put("event_name", List.of("page_view", "add_to_cart", "purchase").get(random.nextInt(3)));
        event.put("derived_tstamp", java.time.Instant.ofEpochMilli(millis).toString());
        if (random.nextBoolean()) {
          event.put("page_url", "https://shop.example/" + i);
        }
        rows.add(event);
      }
    }
    return rows;
  }

  @Test
  void aShorterTimeoutSplitsMore(SparkSession spark) {
    assertThat(Sessionize.sessions(input().dataset(spark), Duration.ofMinutes(20)).filter("user_key = 'alice'").count())
        .isEqualTo(3);
  }
}
