package dev.spoor.demo.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.demo.shop.DemoTruth;
import dev.spoor.speed.SpeedJob;
import dev.spoor.speed.config.SpeedConfig;
import dev.spoor.speed.decide.StateLookup;
import dev.spoor.speed.rule.Rule;
import dev.spoor.speed.rule.RuleOutputs;
import dev.spoor.speed.state.StateColumns;
import dev.spoor.state.read.SpeedView;
import dev.spoor.state.view.UserState;
import java.io.IOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The speed layer's outputs for the live tail against every configured rule evaluated over the truth:
 * the tail's events as the good topic holds them, each with its user's true state (score, reason codes
 * and segments by the scorecard and the segment predicates over the true features; unknown users have
 * none) and the speed counters the truth gives (the user's tail events up to and including it, in the
 * speed view's order: collector time, partition, offset). One check per rule: exactly the records the
 * rule makes of that, each at least once; a record repeated unchanged (an at-least-once redelivery)
 * is counted, never a difference.
 */
public final class SpeedChecks {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final StructType KAFKA = new StructType().add("key", "binary").add("value", "binary")
      .add("topic", "string").add("partition", "int").add("offset", "long").add("timestamp", "timestamp");

  private final SparkSession spark;
  private final SpeedConfig config;

  public SpeedChecks(SparkSession spark, SpeedConfig config) {
    this.spark = spark;
    this.config = config;
  }

  /**
   * @param input the good topic's records from where the speed layer started
   * @param outputs the records of every output topic ({@link SpeedConfig#outputTopics}) since then
   */
  public List<Check> checks(DemoTruth truth, Map<String, UserState> trueStates, List<TopicRecord> input,
      List<TopicRecord> outputs) {
    List<Check> checks = new ArrayList<>();
    Dataset<Row> events = tailEvents(truth, input);
    List<Row> decided = events.collectAsList();
    checks.add(tailInput(truth, decided));
    List<TopicRecord> expected = expected(events.schema(), decided, trueStates);
    List<TopicRecord> actual = outputs.stream().filter(r -> ofRun(r, truth.prefix())).toList();
    Map<String, List<TopicRecord>> expectedByRule = expected.stream().collect(Collectors.groupingBy(this::rule, TreeMap::new,
        Collectors.toList()));
    Map<String, List<TopicRecord>> actualByRule = actual.stream().collect(Collectors.groupingBy(this::rule, TreeMap::new,
        Collectors.toList()));
    for (String rule : ruleLabels()) {
      checks.add(compare(rule, expectedByRule.getOrDefault(rule, List.of()), actualByRule.getOrDefault(rule, List.of())));
    }
    actualByRule.keySet().stream().filter(r -> !ruleLabels().contains(r)).forEach(r -> checks.add(
        compare(r, List.of(), actualByRule.get(r))));
    return checks;
  }

  /** The tail's events as the speed layer decodes them, the first copy of each. */
  private Dataset<Row> tailEvents(DemoTruth truth, List<TopicRecord> input) {
    List<Row> rows = new ArrayList<>();
    for (TopicRecord r : input) {
      rows.add(RowFactory.create(r.key() == null ? null : r.key().getBytes(java.nio.charset.StandardCharsets.UTF_8),
          r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8), r.topic(), r.partition(), r.offset(),
          new Timestamp(0)));
    }
    Dataset<Row> events = SpeedJob.events(spark.createDataFrame(rows, KAFKA), config)
        .filter(org.apache.spark.sql.functions.col("user_key").startsWith(truth.prefix()));
    Map<String, Row> first = new LinkedHashMap<>();
    for (Row e : events.orderBy("kafka_partition", "kafka_offset").collectAsList()) {
      first.putIfAbsent(e.getAs("event_id"), e);
    }
    return spark.createDataFrame(new ArrayList<>(first.values()), events.schema());
  }

  private static Check tailInput(DemoTruth truth, List<Row> decided) {
    Map<String, String> expected = new TreeMap<>();
    truth.tail().forEach(e -> expected.put(e.eventId(), e.user()));
    Map<String, String> actual = new TreeMap<>();
    decided.forEach(e -> actual.put(e.getAs("event_id"), e.getAs("user_key")));
    return new Check("speed input: the live tail's events in the good topic", expected.size(), actual.size(),
        Differences.of(expected, actual));
  }

  /** What the rules make of the tail's events with their users' true state. */
  private List<TopicRecord> expected(StructType schema, List<Row> events, Map<String, UserState> trueStates) {
    Map<String, List<Row>> byUser = events.stream().collect(Collectors.groupingBy(e -> e.getAs("user_key")));
    List<Row> joined = new ArrayList<>();
    byUser.forEach((user, own) -> {
      List<Row> ordered = new ArrayList<>(own);
      ordered.sort(Comparator.<Row, Timestamp>comparing(e -> e.getAs("collector_tstamp"))
          .thenComparing(e -> (Integer) e.getAs("kafka_partition")).thenComparing(e -> (Long) e.getAs("kafka_offset")));
      StateColumns.Batch batch = StateColumns.of(trueStates.get(user));
      double cart = 0;
      for (int i = 0; i < ordered.size(); i++) {
        Row e = ordered.get(i);
        cart += e.<Double>getAs("_cart");
        Timestamp at = e.getAs("collector_tstamp");
        SpeedView.Counters counters = new SpeedView.Counters(i + 1, Math.round(cart * 100) / 100.0, at.toInstant());
        Object[] values = new Object[e.length() + 1];
        for (int c = 0; c < e.length(); c++) {
          values[c] = e.get(c);
        }
        values[e.length()] = batch.with(counters);
        joined.add(RowFactory.create(values));
      }
    });
    Dataset<Row> withState = spark.createDataFrame(joined, StateLookup.output(schema));
    List<TopicRecord> records = new ArrayList<>();
    for (Row r : RuleOutputs.outputs(withState, config.rules(), config.topics()).collectAsList()) {
      records.add(new TopicRecord(r.getString(0), -1, -1, r.getString(1), r.getString(2)));
    }
    return records;
  }

  /** Every rule by name; the gate rules share one label, as they share the gated topic. */
  private List<String> ruleLabels() {
    List<String> labels = new ArrayList<>();
    for (Rule rule : config.rules()) {
      if (rule.action() != Rule.Action.GATE) {
        labels.add(rule.id() + " (" + rule.action().name().toLowerCase(java.util.Locale.ROOT) + ")");
      }
    }
    String gates = gates();
    if (!gates.isEmpty()) {
      labels.add(gates + " (gate)");
    }
    return labels;
  }

  private String gates() {
    return config.rules().stream().filter(r -> r.action() == Rule.Action.GATE).map(Rule::id).collect(Collectors.joining(", "));
  }

  /** The rule a record comes from: named in notifications and decorations, by topic for routes and the gate. */
  private String rule(TopicRecord record) {
    if (record.topic().equals(config.notificationsTopic()) || record.topic().equals(config.decoratedTopic())) {
      String id = json(record.value()).path("rule").asText();
      return config.rules().stream().filter(r -> r.id().equals(id)).findFirst()
          .map(r -> r.id() + " (" + r.action().name().toLowerCase(java.util.Locale.ROOT) + ")").orElse(id + " (unknown rule)");
    }
    if (record.topic().equals(config.gatedTopic())) {
      return gates() + " (gate)";
    }
    return config.rules().stream().filter(r -> r.action() == Rule.Action.ROUTE)
        .filter(r -> record.topic().equals(config.routedPrefix() + r.route())).map(r -> r.id() + " (route)")
        .collect(Collectors.joining(", "));
  }

  /** Records of this run's users: notifications name their user, the other outputs are keyed by it. */
  private boolean ofRun(TopicRecord record, String prefix) {
    if (record.topic().equals(config.notificationsTopic())) {
      return json(record.value()).path("user_key").asText().startsWith(prefix);
    }
    return record.key() != null && record.key().startsWith(prefix);
  }

  /** The event a record is about. */
  private String eventId(TopicRecord record) {
    JsonNode value = json(record.value());
    if (record.topic().equals(config.decoratedTopic())) {
      return value.path("event").path("event_id").asText();
    }
    return value.path("event_id").asText();
  }

  Check compare(String rule, List<TopicRecord> expected, List<TopicRecord> actual) {
    Map<String, String> want = new TreeMap<>();
    expected.forEach(r -> want.put(eventId(r), r.topic() + " " + r.key() + " " + r.value()));
    Map<String, TreeSet<String>> got = new TreeMap<>();
    actual.forEach(r -> got.computeIfAbsent(eventId(r), k -> new TreeSet<>()).add(r.topic() + " " + r.key() + " " + r.value()));
    List<String> differences = new ArrayList<>();
    TreeSet<String> events = new TreeSet<>(want.keySet());
    events.addAll(got.keySet());
    for (String event : events) {
      String w = want.get(event);
      TreeSet<String> g = got.getOrDefault(event, new TreeSet<>());
      if (w == null) {
        differences.add(event + ": expected nothing, got " + abbreviate(g.first()));
      } else if (g.isEmpty()) {
        differences.add(event + ": expected " + abbreviate(w) + ", got nothing");
      } else if (g.size() > 1 || !g.first().equals(w)) {
        g.stream().filter(v -> !v.equals(w)).findFirst()
            .ifPresent(v -> differences.add(event + ": expected " + abbreviate(w) + ", got " + abbreviate(v)));
      }
    }
    long repeats = actual.size() - got.values().stream().mapToLong(TreeSet::size).sum();
    return new Check("speed rule " + rule + ": outputs for the live tail" + (repeats > 0 ? " (" + repeats + " redelivered unchanged)" : ""),
        want.size(), got.size(), differences);
  }

  private static String abbreviate(String record) {
    return record.length() > 240 ? record.substring(0, 240) + "…" : record;
  }

  private static JsonNode json(String value) {
    try {
      return JSON.readTree(value);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}
