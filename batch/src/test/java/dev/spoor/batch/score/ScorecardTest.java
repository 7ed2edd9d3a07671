package dev.spoor.batch.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.testing.spark.SparkExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The scorecard: bins, missing values, clamping, reason codes; the Spark job agrees with the reference. */
@ExtendWith(SparkExtension.class)
class ScorecardTest {
  static final String CARD = """
      base = 500, min = 300, max = 850, reasons = 2
      features = [
        { feature = recency_days, code = R01, reason = "not active recently", missing = -50
          bins = [{ below = 7, points = 80 }, { below = 30, points = 20 }, { points = -60 }] }
        { feature = purchases, code = R02, reason = "few purchases", missing = -40
          bins = [{ below = 1, points = -40 }, { below = 3, points = 40 }, { points = 90 }] }
        { feature = monetary, code = R03, reason = "low spend", missing = -20
          bins = [{ below = 50, points = -20 }, { points = 70 }] }
      ]
      """;

  private static Scorecard card(String hocon) {
    return Scorecard.parse(ConfigFactory.parseString(hocon), "spoor.batch.scorecard");
  }

  @Test
  void pointsComeFromTheFirstBinBelowWhoseBoundTheValueFalls() {
    Scorecard.Feature recency = card(CARD).features().get(0);

    assertThat(recency.points(0.0)).isEqualTo(80);
    assertThat(recency.points(6.99)).isEqualTo(80);
    assertThat(recency.points(7.0)).as("bounds are exclusive").isEqualTo(20);
    assertThat(recency.points(400.0)).isEqualTo(-60);
    assertThat(recency.points(null)).isEqualTo(-50);
  }

  @Test
  void theScoreIsBasePlusPointsWithTheCostliestFeaturesAsReasons() {
    // recency 40 -> -60 (cost 140), purchases 0 -> -40 (cost 130), monetary 0 -> -20 (cost 90).
    Scorecard.Score score = card(CARD).score(Map.of("recency_days", 40.0, "purchases", 0.0, "monetary", 0.0));

    assertThat(score.score()).isEqualTo(500 - 60 - 40 - 20);
    assertThat(score.codes()).containsExactly("R01", "R02");
    assertThat(score.reasons()).containsExactly("not active recently", "few purchases");
    // The best customer costs nothing and has no reasons.
    Scorecard.Score best = card(CARD).score(Map.of("recency_days", 1.0, "purchases", 5.0, "monetary", 900.0));
    assertThat(best.score()).isEqualTo(500 + 80 + 90 + 70);
    assertThat(best.codes()).isEmpty();
  }

  @Test
  void theScoreIsClampedToTheRange() {
    assertThat(card(CARD.replace("base = 500", "base = 800")).score(Map.of("recency_days", 1.0, "purchases", 5.0,
        "monetary", 900.0)).score()).isEqualTo(850);
    assertThat(card(CARD.replace("base = 500", "base = 100")).score(Map.of()).score()).isEqualTo(300);
  }

  @Test
  void equalCostsKeepTheDeclarationOrder() {
    String tie = CARD.replace("missing = -20", "missing = -90").replace("{ points = 70 }", "{ points = 70 }");
    // recency missing -> -50 (cost 130), purchases missing -> -40 (cost 130), monetary missing -> -90 (cost 160).
    assertThat(card(tie).score(Map.of()).codes()).containsExactly("R03", "R01");
  }

  @Test
  void aMalformedCardIsRejectedWithItsKey() {
    assertThatThrownBy(() -> card(CARD.replace("{ below = 30, points = 20 }", "{ below = 3, points = 20 }")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("features[0].bins[1].below")
        .hasMessageContaining("increasing");
    assertThatThrownBy(() -> card(CARD.replace("{ points = -60 }", "{ below = 90, points = -60 }")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("features[0].bins[2]");
    assertThatThrownBy(() -> card(CARD.replace("min = 300", "min = 900")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("min below max");
  }

  @Test
  void theSparkJobScoresExactlyAsTheReference(SparkSession spark) {
    Scorecard card = card(CARD);
    StructType schema = new StructType().add("user_key", DataTypes.StringType).add("as_of", DataTypes.DateType)
        .add("recency_days", DataTypes.IntegerType).add("purchases", DataTypes.LongType).add("monetary", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    java.util.Random random = new java.util.Random(5);
    for (int i = 0; i < 200; i++) {
      rows.add(RowFactory.create("u" + i, java.sql.Date.valueOf("2026-11-21"),
          random.nextInt(10) == 0 ? null : random.nextInt(60),
          random.nextInt(10) == 0 ? null : (long) random.nextInt(5),
          random.nextInt(10) == 0 ? null : Math.round(random.nextDouble() * 20000) / 100.0));
    }
    Dataset<Row> features = spark.createDataFrame(rows, schema);

    Map<String, Row> scored = new HashMap<>();
    UserScores.scores(features, card).collectAsList().forEach(r -> scored.put(r.getAs("user_key"), r));

    assertThat(scored).hasSize(200);
    for (Row input : rows) {
      Map<String, Double> values = new HashMap<>();
      values.put("recency_days", input.isNullAt(2) ? null : ((Number) input.get(2)).doubleValue());
      values.put("purchases", input.isNullAt(3) ? null : ((Number) input.get(3)).doubleValue());
      values.put("monetary", input.isNullAt(4) ? null : input.getDouble(4));
      Scorecard.Score expected = card.score(values);
      Row actual = scored.get(input.getString(0));
      assertThat(actual.<Integer>getAs("score")).as(input.toString()).isEqualTo(expected.score());
      assertThat(actual.<String>getList(actual.fieldIndex("reason_codes"))).as(input.toString())
          .containsExactlyElementsOf(expected.codes());
      assertThat(actual.<String>getList(actual.fieldIndex("reasons"))).containsExactlyElementsOf(expected.reasons());
    }
  }

  @Test
  void aFeatureThatIsNotANumericColumnIsRejected(SparkSession spark) {
    Dataset<Row> features = spark.createDataFrame(List.of(),
        new StructType().add("user_key", DataTypes.StringType).add("recency_days", DataTypes.StringType));

    assertThatThrownBy(() -> UserScores.validate(card(CARD), features, "spoor.batch.scorecard.features"))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("recency_days")
        .hasMessageContaining("numeric");
  }
}
