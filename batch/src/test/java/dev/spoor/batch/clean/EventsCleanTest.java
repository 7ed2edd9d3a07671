package dev.spoor.batch.clean;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.batch.EventRows;
import dev.spoor.testing.spark.DatasetAssertions;
import dev.spoor.testing.spark.SparkExtension;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkExtension.class)
class EventsCleanTest {
  private static EventRows input() {
    return new EventRows()
        .add(Map.of("event_id", "e1", "user_id", "u", "event_name", "page_view", "derived_tstamp", "2026-11-20T10:00:00Z",
            "collector_tstamp", "2026-11-20T10:00:01Z"))
        // a redelivery of e1 two days later (beyond the landing horizon): same id and fingerprint
        .add(Map.of("event_id", "e1", "user_id", "u", "event_name", "page_view", "derived_tstamp", "2026-11-20T10:00:00Z",
            "collector_tstamp", "2026-11-22T09:00:00Z"))
        // a collision: e2 twice with different content
        .add(Map.of("event_id", "e2", "user_id", "u", "event_name", "add_to_cart", "derived_tstamp", "2026-11-20T10:05:00Z",
            "event_fingerprint", "fp-a"))
        .add(Map.of("event_id", "e2", "user_id", "v", "event_name", "purchase", "derived_tstamp", "2026-11-20T10:06:00Z",
            "event_fingerprint", "fp-b"))
        .add(Map.of("event_id", "e3", "user_id", "u", "event_name", "page_view", "derived_tstamp", "2026-11-19T23:59:59Z"));
  }

  private static List<List<Object>> summary(Dataset<Row> clean) {
    return DatasetAssertions.rows(clean.select("event_id", "event_fingerprint", "id_collision", "collector_tstamp")
        .orderBy("event_id", "event_fingerprint"));
  }

  @Test
  void duplicatesCollapseToTheFirstCopyAndCollisionsAreKeptAndFlagged(SparkSession spark) {
    List<List<Object>> rows = summary(EventsClean.clean(input().dataset(spark)));

    assertThat(rows).hasSize(4);
    assertThat(rows).extracting(r -> r.get(0) + "/" + r.get(1) + "/" + r.get(2))
        .containsExactly("e1/fp-e1/false", "e2/fp-a/true", "e2/fp-b/true", "e3/fp-e3/false");
    assertThat(rows.get(0).get(3).toString()).startsWith("2026-11-20 10:00:01");
  }

  @Test
  void shuffledInputGivesTheSameOutputAsSortedInput(SparkSession spark) {
    Dataset<Row> sorted = EventsClean.clean(input().dataset(spark));
    Dataset<Row> shuffled = EventsClean.clean(input().shuffled(spark, 3));

    DatasetAssertions.assertSameRows(shuffled, sorted);
  }

  @Test
  void eachDatePartitionIsInEventTimeOrder(SparkSession spark) {
    List<Row> rows = EventsClean.clean(input().shuffled(spark, 11)).filter("event_date = DATE '2026-11-20'")
        .coalesce(1).collectAsList();

    assertThat(rows).extracting(r -> r.<String>getAs("event_id")).containsExactly("e1", "e2", "e2");
  }
}
