package dev.spoor.ingest.lander.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.ingest.lander.TestEvents;
import dev.spoor.ingest.lander.landing.KafkaDecoding;
import dev.spoor.lake.LakeTables;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.testing.spark.SparkExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class ContinuousViewsTest {
  private static final Instant T = Instant.parse("2026-11-20T12:00:00Z");
  private static final List<ViewSpec> VIEWS = ViewSpec.from(ConfigFactory.parseString(
      "per_minute { window = 1m, group-by = [event_name], allowed-lateness = 1h,"
          + " aggregates { events = \"count(*)\", users = \"approx_distinct(user_id)\","
          + " first = \"min(derived_tstamp)\", value = \"sum(cast(get_json_object(properties, '$.price') as double))\" } }"),
      "views");

  @TempDir
  Path lake;

  private static Dataset<Row> events(SparkSession spark, List<Event> events) {
    return KafkaDecoding.events(KafkaDecoding.decodeEvents(TestEvents.kafka(spark, "good", TestEvents.encode(events)), TestEvents.PROPERTIES));
  }

  private static Event at(Instant derived, Instant collector, String user) {
    return TestEvents.event(java.util.UUID.randomUUID().toString(), user, derived, collector, "f");
  }

  @Test
  void windowsMergedOverBatchesEqualOneAggregationOfAllEventsInAnyArrivalOrder(SparkSession spark) {
    ContinuousViews views = new ContinuousViews(VIEWS, lake.toString());
    views.createIfMissing(spark, LakeTables.EVENTS_TABLE);
    ViewSpec view = VIEWS.get(0);
    List<Event> all = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      // Spread over 3 minutes, 7 users, arriving up to 30 minutes late.
      all.add(at(T.plusSeconds(i * 3L), T.plusSeconds(i * 3L).plus(Duration.ofMinutes(i % 30)), "u-" + (i % 7)));
    }
    List<Event> late = all.subList(0, 20);
    List<Event> early = all.subList(20, 60);

    views.merge(spark, view, events(spark, early));
    views.merge(spark, view, events(spark, late));

    Dataset<Row> merged = spark.read().format("delta").load(views.location(view))
        .select("window_start", "event_name", "events", "users", "first", "value").orderBy("window_start");
    Dataset<Row> direct = ContinuousViews.partial(view, events(spark, all))
        .select("window_start", "event_name", "events", "users", "first", "value").orderBy("window_start");
    assertThat(merged.collectAsList()).isEqualTo(direct.collectAsList());
    assertThat(merged.collectAsList()).hasSize(3)
        .allSatisfy(r -> assertThat(r.<Long>getAs("users")).isEqualTo(7L))
        .allSatisfy(r -> assertThat(r.<Long>getAs("events")).isEqualTo(20L));
  }

  @Test
  void eventsLaterThanTheAllowedLatenessAreLeftToTheBatchLayer(SparkSession spark) {
    ViewSpec view = VIEWS.get(0);
    Dataset<Row> partial = ContinuousViews.partial(view, events(spark, List.of(
        at(T, T.plus(Duration.ofMinutes(59)), "a"), at(T, T.plus(Duration.ofMinutes(61)), "b"))));

    assertThat(partial.first().<Long>getAs("events")).isEqualTo(1L);
  }

  @Test
  void anExpressionThatFailsForAnEventIsNullForItAndNeverStopsTheView(SparkSession spark) {
    List<ViewSpec> fragile = ViewSpec.from(ConfigFactory.parseString(
        "fragile { window = 1m, group-by = [], allowed-lateness = 1h, aggregates { events = \"count(*)\","
            + " ratio = \"sum(1 / (cast(get_json_object(properties, '$.quantity') as int) - 1))\" } }"), "views");
    ContinuousViews views = new ContinuousViews(fragile, lake.toString());
    views.createIfMissing(spark, LakeTables.EVENTS_TABLE);
    String ansi = spark.conf().get("spark.sql.ansi.enabled");

    // quantity is 1 in both events: a division by zero.
    new ViewLanding(views, "test-views").land(events(spark, List.of(at(T, T, "a"), at(T, T, "b"))), 0);

    Row row = spark.read().format("delta").load(views.location(fragile.get(0))).first();
    assertThat(row.<Long>getAs("events")).isEqualTo(2L);
    assertThat(row.isNullAt(row.fieldIndex("ratio"))).isTrue();
    assertThat(spark.conf().get("spark.sql.ansi.enabled")).as("the session's setting is left as it was").isEqualTo(ansi);
  }

  @Test
  void badDeclarationsAreRejectedNamingTheKey() {
    assertThatThrownBy(() -> ViewSpec.from(ConfigFactory.parseString(
        "v { window = 1m, group-by = [], allowed-lateness = 1h, aggregates { x = \"median(price)\" } }"), "spoor.lander.views"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("spoor.lander.views.v.aggregates.x");
    assertThatThrownBy(() -> ViewSpec.from(ConfigFactory.parseString(
        "v { window = 7m, group-by = [], allowed-lateness = 1h, aggregates { x = \"count(*)\" } }"), "spoor.lander.views"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("divides a day");
  }
}
