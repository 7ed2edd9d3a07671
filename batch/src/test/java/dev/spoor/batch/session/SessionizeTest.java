package dev.spoor.batch.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.batch.EventRows;
import dev.spoor.testing.spark.DatasetAssertions;
import dev.spoor.testing.spark.SparkExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

  @Test
  void aShorterTimeoutSplitsMore(SparkSession spark) {
    assertThat(Sessionize.sessions(input().dataset(spark), Duration.ofMinutes(20)).filter("user_key = 'alice'").count())
        .isEqualTo(3);
  }
}
