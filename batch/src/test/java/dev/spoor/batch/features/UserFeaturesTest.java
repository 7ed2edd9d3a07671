package dev.spoor.batch.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.spoor.batch.EventRows;
import dev.spoor.batch.event.EventView;
import dev.spoor.lake.PropertiesSchema;
import dev.spoor.batch.funnel.FunnelEvaluation;
import dev.spoor.batch.funnel.FunnelSpec;
import dev.spoor.batch.segment.SegmentRules;
import dev.spoor.batch.segment.UserSegments;
import dev.spoor.batch.session.Sessionize;
import dev.spoor.testing.spark.DatasetAssertions;
import dev.spoor.testing.spark.SparkExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** User features over events, sessions and funnels, and segments over features, against hand-computed values. */
@ExtendWith(SparkExtension.class)
class UserFeaturesTest {
  private static final StructType PROPERTIES = PropertiesSchema.fromSchemas(Path.of("..", "conf", "schemas"));
  private static final FeatureSpec SPEC = new FeatureSpec("event_name = 'purchase'", "properties.total",
      "event_name = 'add_to_cart'", "event_name = 'page_view'");
  private static final LocalDate AS_OF = LocalDate.of(2026, 11, 21);

  private static EventRows events() {
    return new EventRows()
        // alice: two sessions on two days, two purchases (19.99 + 5.01), one cart add.
        .add(Map.of("event_id", "a1", "user_id", "alice", "event_name", "page_view", "derived_tstamp", "2026-11-01T10:00:00Z"))
        .add(Map.of("event_id", "a2", "user_id", "alice", "event_name", "add_to_cart", "derived_tstamp", "2026-11-01T10:05:00Z",
            "properties", "{\"sku\":\"s\",\"price\":19.99,\"quantity\":1}"))
        .add(Map.of("event_id", "a3", "user_id", "alice", "event_name", "purchase", "derived_tstamp", "2026-11-01T10:10:00Z",
            "properties", "{\"order_id\":\"o1\",\"total\":19.99,\"items\":1}"))
        .add(Map.of("event_id", "a4", "user_id", "alice", "event_name", "purchase", "derived_tstamp", "2026-11-18T09:00:00Z",
            "properties", "{\"order_id\":\"o2\",\"total\":5.01,\"items\":1}"))
        // bob: one page view, today.
        .add(Map.of("event_id", "b1", "user_id", "bob", "event_name", "page_view", "derived_tstamp", "2026-11-21T08:00:00Z"));
  }

  private static List<FunnelSpec> funnels() {
    return FunnelSpec.parseAll(ConfigFactory.parseString("""
        buy { window = 1h, steps = [{ where = "event_name = 'page_view'" }, { where = "event_name = 'purchase'" }] }
        """), "f");
  }

  private static Dataset<Row> features(SparkSession spark) {
    Dataset<Row> clean = events().dataset(spark);
    Dataset<Row> view = EventView.of(clean, PROPERTIES);
    return UserFeatures.features(view, Sessionize.sessions(clean, Duration.ofMinutes(30)),
        FunnelEvaluation.progress(view, funnels()), SPEC, AS_OF);
  }

  @Test
  void recencyFrequencyMonetaryEngagementAndFunnels(SparkSession spark) {
    Dataset<Row> features = features(spark);

    DatasetAssertions.assertRowsEqual(features.select("user_key", "recency_days", "tenure_days", "events", "active_days",
        "page_views", "cart_adds", "purchases", "monetary", "avg_order_value", "sessions", "funnels_converted"), List.of(
        List.of("alice", 3, 20, 4L, 2L, 1L, 1L, 2L, 25.0, 12.5, 2L, 1L),
        Arrays.asList("bob", 0, 0, 1L, 1L, 1L, 0L, 0L, 0.0, null, 1L, 0L)));
    Row alice = features.filter("user_key = 'alice'").first();
    assertThat(alice.<Double>getAs("avg_session_seconds")).isEqualTo(300.0); // (600 + 0) / 2
    assertThat(alice.<scala.collection.Map<String, Object>>getAs("funnel_levels").apply("buy")).isEqualTo(2);
  }

  @Test
  void shuffledInputGivesTheSameFeatures(SparkSession spark) {
    Dataset<Row> shuffled = events().shuffled(spark, 3);
    Dataset<Row> view = EventView.of(shuffled, PROPERTIES);
    Dataset<Row> fromShuffled = UserFeatures.features(view, Sessionize.sessions(shuffled, Duration.ofMinutes(30)),
        FunnelEvaluation.progress(view, funnels()), SPEC, AS_OF);

    assertThat(DatasetAssertions.rows(fromShuffled.drop("funnel_levels")))
        .containsExactlyInAnyOrderElementsOf(DatasetAssertions.rows(features(spark).drop("funnel_levels")));
  }

  @Test
  void segmentsHoldEveryUserWithTheSegmentsWhosePredicatesHold(SparkSession spark) {
    Dataset<Row> features = features(spark);
    Dataset<Row> scores = features.selectExpr("user_key", "CAST(600 + purchases * 100 AS INT) AS score",
        "array() AS reason_codes", "map('x', 1) AS points");
    SegmentRules rules = SegmentRules.parse(ConfigFactory.parseString("""
        buyers = "purchases >= 1"
        vip = "score >= 750"
        fresh = "tenure_days < 1"
        nobody = "avg_order_value > 1000"
        """), "spoor.batch.segments");

    Dataset<Row> segments = UserSegments.segments(features, scores, rules);

    DatasetAssertions.assertRowsEqual(segments.select("user_key", "segments"), List.of(
        List.of("alice", scala.jdk.javaapi.CollectionConverters.asScala(List.of("buyers", "vip")).toSeq()),
        List.of("bob", scala.jdk.javaapi.CollectionConverters.asScala(List.of("fresh")).toSeq())));
  }
}
