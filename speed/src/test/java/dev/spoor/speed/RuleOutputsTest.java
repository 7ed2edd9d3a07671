package dev.spoor.speed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.lake.PropertiesSchema;
import dev.spoor.speed.rule.Rule;
import dev.spoor.speed.rule.RuleOutputs;
import dev.spoor.speed.state.StateColumns;
import dev.spoor.state.read.SpeedView;
import dev.spoor.state.view.UserState;
import dev.spoor.testing.spark.SparkExtension;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
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

/** Rules over events joined with state: which records go where, ids, validation; latency percentiles. */
@ExtendWith(SparkExtension.class)
class RuleOutputsTest {
  private static final RuleOutputs.Topics TOPICS = new RuleOutputs.Topics("n", "d", "g", "r.");
  private static final StructType PROPS = PropertiesSchema.fromSchemas(Path.of("..", "conf", "schemas"));

  private static List<Rule> rules(String hocon) {
    return Rule.parseAll(ConfigFactory.parseString(hocon), "spoor.speed.rules");
  }

  private static final String RULES = """
      vip { when = "event_name = 'add_to_cart' AND state.score >= 700", action = notify, payload { price = "properties.price" } }
      rich { when = "state.speed.cart_value > 100", action = route, route = rich }
      strangers { when = "NOT state.known", action = gate }
      deco { when = "event_name = 'add_to_cart'", action = decorate, fields = [score, events] }
      """;

  private static Dataset<Row> joined(SparkSession spark) {
    StructType schema = new StructType().add("event_id", DataTypes.StringType).add("event_name", DataTypes.StringType)
        .add("user_key", DataTypes.StringType).add("collector_tstamp", DataTypes.TimestampType)
        .add("properties", PROPS).add("kafka_key", DataTypes.StringType).add("kafka_value", DataTypes.StringType)
        .add("state", StateColumns.STATE);
    Timestamp now = Timestamp.from(Instant.parse("2026-11-22T10:00:00Z"));
    Row vip = StateColumns.state(new UserState("ann", 3, 720, List.of(), List.of("vip"), Map.of("events", 4), Map.of()),
        new SpeedView.Counters(2, 150.0, Instant.now()));
    Row unknown = StateColumns.state(null, SpeedView.Counters.NONE);
    Object[] props = new Object[PROPS.size()];
    props[PROPS.fieldIndex("price")] = 42.0;
    Row cartProps = RowFactory.create(props);
    return spark.createDataFrame(List.of(
        RowFactory.create("e1", "add_to_cart", "ann", now, cartProps, "ann", "{\"event_id\":\"e1\"}", vip),
        RowFactory.create("e2", "page_view", "ann", now, null, "ann", "{\"event_id\":\"e2\"}", vip),
        RowFactory.create("e3", "add_to_cart", "zed", now, cartProps, "zed", "{\"event_id\":\"e3\"}", unknown)), schema);
  }

  @Test
  void eachActionWritesWhereItShould(SparkSession spark) {
    List<Row> out = RuleOutputs.outputs(joined(spark), rules(RULES), TOPICS).collectAsList();

    assertThat(out).filteredOn(r -> r.getString(0).equals("n")).singleElement().satisfies(r -> {
      assertThat(r.getString(1)).hasSize(32);
      assertThat(r.getString(2)).contains("\"rule\":\"vip\"", "\"event_id\":\"e1\"", "\"price\":42.0",
          "\"collector_tstamp\":\"2026-11-22T10:00:00.000Z\"");
    });
    assertThat(out).filteredOn(r -> r.getString(0).equals("r.rich")).extracting(r -> r.getString(2))
        .containsExactlyInAnyOrder("{\"event_id\":\"e1\"}", "{\"event_id\":\"e2\"}");
    assertThat(out).filteredOn(r -> r.getString(0).equals("g")).extracting(r -> r.getString(2))
        .as("the unknown user's event is held back").containsExactlyInAnyOrder("{\"event_id\":\"e1\"}", "{\"event_id\":\"e2\"}");
    assertThat(out).filteredOn(r -> r.getString(0).equals("d")).extracting(r -> r.getString(2))
        .anyMatch(v -> v.contains("\"state\":{\"score\":720,\"events\":6}"));
  }

  @Test
  void notificationIdsAreDeterministic(SparkSession spark) {
    List<Row> first = RuleOutputs.outputs(joined(spark), rules(RULES), TOPICS).filter("topic = 'n'").collectAsList();
    List<Row> again = RuleOutputs.outputs(joined(spark), rules(RULES), TOPICS).filter("topic = 'n'").collectAsList();

    assertThat(first.get(0).getString(1)).isEqualTo(again.get(0).getString(1));
  }

  @Test
  void rulesAreCheckedAtStartUpWithTheRuleNamed(SparkSession spark) {
    assertThatThrownBy(() -> RuleOutputs.validate(rules("bad { when = \"state.scroe > 1\", action = notify }"), joined(spark)))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("spoor.speed.rules.bad.when");
    assertThatThrownBy(() -> RuleOutputs.validate(rules("bad { when = \"state.score\", action = notify }"), joined(spark)))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("a boolean condition, not int");
    assertThatThrownBy(() -> rules("bad { when = \"true\", action = shout }"))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("notify, route, gate or decorate");
    assertThatThrownBy(() -> rules("bad { when = \"true\", action = decorate }"))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("spoor.speed.rules.bad.fields");
  }
}
