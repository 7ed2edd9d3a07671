package dev.spoor.batch.funnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.spoor.batch.EventRows;
import dev.spoor.batch.event.EventView;
import dev.spoor.lake.PropertiesSchema;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.testing.spark.DatasetAssertions;
import dev.spoor.testing.spark.SparkExtension;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Funnels over Spark rows: SQL step conditions on columns and properties, exclusions, modes, arrival order. */
@ExtendWith(SparkExtension.class)
class FunnelEvaluationTest {
  private static final StructType PROPERTIES = PropertiesSchema.fromSchemas(Path.of("..", "conf", "schemas"));

  private static List<FunnelSpec> specs(String hocon) {
    return FunnelSpec.parseAll(ConfigFactory.parseString(hocon), "funnels");
  }

  private static final String CHECKOUT = """
      checkout {
        window = 1h
        steps = [
          { name = viewed, where = "event_name = 'product_view'" }
          { name = carted, where = "event_name = 'add_to_cart' AND properties.price > 10" }
          { name = bought, where = "event_name = 'purchase'" }
        ]
        exclude = ["event_name = 'cart_emptied'"]
      }
      """;

  private static EventRows shop() {
    return new EventRows()
        // alice: the whole funnel within the hour.
        .add(Map.of("event_id", "a1", "user_id", "alice", "event_name", "product_view", "derived_tstamp", "2026-11-20T10:00:00Z"))
        .add(Map.of("event_id", "a2", "user_id", "alice", "event_name", "add_to_cart", "derived_tstamp", "2026-11-20T10:10:00Z",
            "properties", "{\"sku\":\"x\",\"price\":25.0,\"quantity\":1}"))
        .add(Map.of("event_id", "a3", "user_id", "alice", "event_name", "purchase", "derived_tstamp", "2026-11-20T10:59:59Z"))
        // bob: a cheap cart item does not satisfy step 2.
        .add(Map.of("event_id", "b1", "user_id", "bob", "event_name", "product_view", "derived_tstamp", "2026-11-20T10:00:00Z"))
        .add(Map.of("event_id", "b2", "user_id", "bob", "event_name", "add_to_cart", "derived_tstamp", "2026-11-20T10:01:00Z",
            "properties", "{\"sku\":\"y\",\"price\":5.0,\"quantity\":1}"))
        .add(Map.of("event_id", "b3", "user_id", "bob", "event_name", "purchase", "derived_tstamp", "2026-11-20T10:02:00Z"))
        // carol: empties her cart between cart and purchase.
        .add(Map.of("event_id", "c1", "user_id", "carol", "event_name", "product_view", "derived_tstamp", "2026-11-20T10:00:00Z"))
        .add(Map.of("event_id", "c2", "user_id", "carol", "event_name", "add_to_cart", "derived_tstamp", "2026-11-20T10:01:00Z",
            "properties", "{\"sku\":\"z\",\"price\":50.0,\"quantity\":1}"))
        .add(Map.of("event_id", "c3", "user_id", "carol", "event_name", "cart_emptied", "derived_tstamp", "2026-11-20T10:02:00Z"))
        .add(Map.of("event_id", "c4", "user_id", "carol", "event_name", "purchase", "derived_tstamp", "2026-11-20T10:03:00Z"))
        // dan: purchase one second after the window closes.
        .add(Map.of("event_id", "d1", "domain_userid", "cookie-dan", "event_name", "product_view", "derived_tstamp", "2026-11-20T10:00:00Z"))
        .add(Map.of("event_id", "d2", "domain_userid", "cookie-dan", "event_name", "add_to_cart", "derived_tstamp", "2026-11-20T10:30:00Z",
            "properties", "{\"sku\":\"w\",\"price\":11,\"quantity\":2}"))
        .add(Map.of("event_id", "d3", "domain_userid", "cookie-dan", "event_name", "purchase", "derived_tstamp", "2026-11-20T11:00:01Z"))
        // erin: only a page view, never enters.
        .add(Map.of("event_id", "e1", "user_id", "erin", "event_name", "page_view", "derived_tstamp", "2026-11-20T10:00:00Z"));
  }

  private static Timestamp ts(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }

  @Test
  void levelsStepTimesAndConversionPerUser(SparkSession spark) {
    Dataset<Row> progress = FunnelEvaluation.progress(EventView.of(shop().dataset(spark), PROPERTIES), specs(CHECKOUT));

    DatasetAssertions.assertRowsEqual(progress.select("user_key", "funnel", "level", "converted", "seconds_to_convert"),
        List.of(
            List.of("alice", "checkout", 3, true, 3599.0),
            Arrays.asList("bob", "checkout", 1, false, null),
            Arrays.asList("carol", "checkout", 2, false, null),
            Arrays.asList("cookie-dan", "checkout", 2, false, null)));
    Row alice = progress.filter("user_key = 'alice'").first();
    assertThat(alice.<Timestamp>getList(alice.fieldIndex("step_times")))
        .containsExactly(ts("2026-11-20T10:00:00Z"), ts("2026-11-20T10:10:00Z"), ts("2026-11-20T10:59:59Z"));
    assertThat(alice.<Timestamp>getAs("converted_at")).isEqualTo(ts("2026-11-20T10:59:59Z"));
  }

  @Test
  void shuffledInputGivesTheSameProgressAsSorted(SparkSession spark) {
    List<FunnelSpec> specs = specs(CHECKOUT);
    List<List<Object>> sorted = DatasetAssertions.rows(
        FunnelEvaluation.progress(EventView.of(shop().dataset(spark), PROPERTIES), specs));
    for (long seed = 1; seed <= 3; seed++) {
      assertThat(DatasetAssertions.rows(FunnelEvaluation.progress(EventView.of(shop().shuffled(spark, seed), PROPERTIES), specs)))
          .containsExactlyInAnyOrderElementsOf(sorted);
    }
  }

  @Test
  void modesComeFromTheSpec(SparkSession spark) {
    // Under strict_order, bob's cheap add_to_cart matches no step and ends his search at level 1;
    // alice has nothing in between and still converts.
    List<FunnelSpec> strict = specs(CHECKOUT.replace("window = 1h", "window = 1h\nmodes = [strict_order]"));

    Dataset<Row> progress = FunnelEvaluation.progress(EventView.of(shop().dataset(spark), PROPERTIES), strict);

    assertThat(progress.filter("user_key = 'alice'").first().<Integer>getAs("level")).isEqualTo(3);
    assertThat(progress.filter("user_key = 'bob'").first().<Integer>getAs("level")).isEqualTo(1);
  }

  @Test
  void conditionsAreCheckedAgainstTheEventColumnsBeforeAnyDataIsRead(SparkSession spark) {
    Dataset<Row> view = EventView.of(shop().dataset(spark), PROPERTIES);

    assertThatThrownBy(() -> FunnelEvaluation.validate(specs(CHECKOUT.replace("properties.price", "properties.prize")), view, "f"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("f.checkout.steps[1].where").hasMessageContaining("prize");
    assertThatThrownBy(() -> FunnelEvaluation.validate(specs(CHECKOUT.replace("event_name = 'purchase'", "event_name")), view, "f"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("f.checkout.steps[2].where").hasMessageContaining("a boolean condition, not string");
    assertThatThrownBy(() -> FunnelEvaluation.validate(specs(CHECKOUT.replace("= 'cart_emptied'", "= = 'x'")), view, "f"))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("f.checkout.exclude[0]");
  }

  @Test
  void theDailyTableCountsUsersPerEntryDayAndStep(SparkSession spark) {
    List<FunnelSpec> specs = specs(CHECKOUT);
    Dataset<Row> progress = FunnelEvaluation.progress(EventView.of(shop().dataset(spark), PROPERTIES), specs);

    Dataset<Row> daily = new FunnelDailyJob(specs).compute(Map.of("funnel_progress", progress), null);

    DatasetAssertions.assertRowsEqual(daily, List.of(
        List.of("checkout", java.sql.Date.valueOf("2026-11-20"), 1, "viewed", 4L),
        List.of("checkout", java.sql.Date.valueOf("2026-11-20"), 2, "carted", 3L),
        List.of("checkout", java.sql.Date.valueOf("2026-11-20"), 3, "bought", 1L)));
  }
}
