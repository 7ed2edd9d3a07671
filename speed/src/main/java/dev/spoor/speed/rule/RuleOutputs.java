package dev.spoor.speed.rule;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import dev.spoor.config.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What the rules make of a micro-batch of events joined with their users' state: rows of
 * {@code topic, key, value} for Kafka. The input has the event's columns (with {@code properties}
 * parsed), {@code user_key}, {@code state}, and the original record's {@code kafka_key} and
 * {@code kafka_value}.
 */
public final class RuleOutputs {
  private RuleOutputs() {}

  /** The topics rules write to. */
  public record Topics(String notifications, String decorated, String gated, String routedPrefix) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Checks every rule against the joined columns: conditions boolean, payload and fields resolvable. */
  public static void validate(List<Rule> rules, Dataset<Row> joined) {
    for (Rule rule : rules) {
      String key = "spoor.speed.rules." + rule.id();
      check(joined, rule.when(), key + ".when", true);
      rule.payload().forEach((name, e) -> check(joined, e, key + ".payload." + name, false));
      for (String field : rule.fields()) {
        check(joined, "state." + field, key + ".fields", false);
      }
    }
  }

  private static void check(Dataset<Row> joined, String sql, String key, boolean bool) {
    org.apache.spark.sql.types.DataType type;
    try {
      type = joined.select(expr(sql)).schema().fields()[0].dataType();
    } catch (Exception e) { // AnalysisException is checked in Java's eyes but thrown all the same
      String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      throw new InvalidConfigException(key, "\"" + sql + "\"", "SQL over the event's columns and state.* ("
          + (reason.length() > 300 ? reason.substring(0, 300) + "…" : reason) + ")");
    }
    if (bool && !type.equals(DataTypes.BooleanType)) {
      throw new InvalidConfigException(key, "\"" + sql + "\"", "a boolean condition, not " + type.simpleString());
    }
  }

  /** The deterministic notification id: the first 32 hex digits of SHA-256(rule id + ':' + event id). */
  public static Column notificationId(String ruleId) {
    return substring(sha2(concat(lit(ruleId + ":"), col("event_id")), 256), 1, 32);
  }

  /**
   * Rows of {@code topic, key, value}: every rule evaluated in one projection over each joined row (an
   * array with one record per matching rule, and the gated copy unless a gate held the event back),
   * then exploded. One pass over the input whatever the number of rules, and a plain Catalyst plan: it
   * is resolved once, inside the streaming query, and runs in the tasks that hold the events.
   */
  public static Dataset<Row> outputs(Dataset<Row> joined, List<Rule> rules, Topics topics) {
    List<Column> records = new ArrayList<>();
    Column anyGate = lit(false);
    boolean gates = false;
    for (Rule rule : rules) {
      Column matches = coalesce(expr(rule.when()), lit(false));
      switch (rule.action()) {
        case NOTIFY -> {
          List<Column> payload = new ArrayList<>();
          rule.payload().forEach((name, e) -> payload.add(expr(e).as(name)));
          Column payloadStruct = payload.isEmpty() ? expr("named_struct()") : struct(payload.toArray(Column[]::new));
          records.add(when(matches, record(lit(topics.notifications()), notificationId(rule.id()),
              to_json(struct(notificationId(rule.id()).as("notification_id"), lit(rule.id()).as("rule"),
                  col("user_key"), col("event_id"), col("event_name"),
                  date_format(col("collector_tstamp"), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").as("collector_tstamp"),
                  payloadStruct.as("payload"))))));
        }
        case ROUTE -> records.add(when(matches, record(lit(topics.routedPrefix() + rule.route()),
            col("kafka_key").cast("string"), col("kafka_value").cast("string"))));
        case DECORATE -> {
          List<Column> fields = new ArrayList<>();
          rule.fields().forEach(f -> fields.add(col("state." + f).as(f)));
          // The event goes out as it came in (its JSON text, not re-parsed), with the state fields beside it.
          records.add(when(matches, record(lit(topics.decorated()), col("kafka_key").cast("string"),
              concat(lit("{\"rule\":\"" + rule.id() + "\",\"event\":"), col("kafka_value").cast("string"),
                  lit(",\"state\":"), to_json(struct(fields.toArray(Column[]::new))), lit("}")))));
        }
        case GATE -> {
          anyGate = anyGate.or(matches);
          gates = true;
        }
        default -> throw new IllegalStateException(rule.action().name());
      }
    }
    if (gates) {
      records.add(when(not(anyGate), record(lit(topics.gated()), col("kafka_key").cast("string"),
          col("kafka_value").cast("string"))));
    }
    if (records.isEmpty()) {
      return joined.select(lit("").as("topic"), lit("").as("key"), lit("").as("value")).where(lit(false));
    }
    // A flatMap rather than explode: continuous processing takes projections, filters and map-like
    // operations only, and the same plan serves both triggers.
    return joined.select(array(records.toArray(Column[]::new)).as("_records"))
        .select(expr("filter(_records, r -> r IS NOT NULL)").as("_records"))
        .flatMap((FlatMapFunction<Row, Row>) row -> row.<Row>getList(0).iterator(), Encoders.row(RECORD));
  }

  /** What the rules emit, one Kafka record each. */
  public static final StructType RECORD = new StructType().add("topic", DataTypes.StringType)
      .add("key", DataTypes.StringType).add("value", DataTypes.StringType);

  private static Column record(Column topic, Column key, Column value) {
    return struct(topic.as("topic"), key.as("key"), value.as("value"));
  }
}
