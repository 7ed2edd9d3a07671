package dev.spoor.speed;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;

import dev.spoor.lake.LakeTables;
import dev.spoor.speed.config.SpeedConfig;
import dev.spoor.speed.latency.Percentiles;
import dev.spoor.speed.rule.RuleOutputs;
import dev.spoor.speed.state.StateColumns;
import dev.spoor.state.StateStoreUnavailableException;
import dev.spoor.state.read.SpeedView;
import dev.spoor.state.read.StateReader;
import dev.spoor.state.view.UserState;
import dev.spoor.state.view.ViewMeta;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One micro-batch of the speed layer: decode the events (one Spark job); record them in the speed view;
 * look their users up (one multi-get of the batch view at the committed version, one of the speed view
 * beyond that version's Kafka cutoff); attach each user's state; evaluate the rules as Spark SQL over
 * the driver's copy; send notifications, routed, decorated and gated events with an idempotent
 * producer and wait for Kafka's acknowledgements; report latency (collector → acknowledged). When HBase is unavailable the batch
 * waits and retries (with back-off) until it is back: no event is decided without its state, none is
 * skipped, and the query stays up.
 */
public final class SpeedBatch implements VoidFunction2<Dataset<Row>, Long>, AutoCloseable {
  private static final long serialVersionUID = 1L;

  private final SpeedConfig config;
  private final RuleOutputs.Topics topics;
  private final Consumer<String> log;
  private transient Connection connection;
  private transient StateReader reader;
  private transient SpeedView speedView;
  private transient ViewMeta meta;
  private transient org.apache.kafka.clients.producer.KafkaProducer<String, String> producer;
  private volatile Percentiles last = Percentiles.NONE;

  public SpeedBatch(SpeedConfig config, Consumer<String> log) {
    this.config = config;
    this.topics = new RuleOutputs.Topics(config.notificationsTopic(), config.decoratedTopic(), config.gatedTopic(),
        config.routedPrefix());
    this.log = log;
  }

  public Percentiles lastLatency() {
    return last;
  }

  /** The event columns rules see, from Kafka records, plus the original record. */
  public static Dataset<Row> events(Dataset<Row> kafka, SpeedConfig config) {
    return kafka
        .withColumn("e", from_json(col("value").cast("string"), LakeTables.EVENT_JSON, Map.of("mode", "PERMISSIVE")))
        .filter(col("e.event_id").isNotNull().and(col("e.collector_tstamp").isNotNull()))
        .select(col("e.*"), col("key").as("kafka_key"), col("value").as("kafka_value"), col("partition").as("kafka_partition"),
            col("offset").as("kafka_offset"))
        .withColumn("properties", from_json(col("properties"), config.properties(), Map.of("mode", "PERMISSIVE")))
        .withColumn("user_key", coalesce(col("user_id"), col("domain_userid")));
  }

  /** Events joined with an empty state: the schema rules are validated against before the stream starts. */
  public static Dataset<Row> emptyJoined(SparkSession spark, SpeedConfig config) {
    Dataset<Row> kafka = spark.createDataFrame(List.of(), new org.apache.spark.sql.types.StructType()
        .add("key", "binary").add("value", "binary").add("topic", "string").add("partition", "int")
        .add("offset", "long").add("timestamp", "timestamp"));
    return events(kafka, config).join(spark.createDataFrame(List.of(), StateColumns.ROWS), "user_key");
  }

  private void connect() throws IOException {
    if (connection == null || connection.isClosed()) {
      connection = ConnectionFactory.createConnection(config.state().hbase());
      reader = new StateReader(connection, config.state());
      speedView = new SpeedView(connection, config.state());
      meta = new dev.spoor.state.view.BatchView(connection, config.state()).meta();
    }
  }

  @Override
  public void call(Dataset<Row> batch, Long batchId) throws Exception {
    long started = System.nanoTime();
    // One Spark job reads the micro-batch; everything after it works on the driver's copy, as local
    // relations (Spark evaluates filters and projections over them without scheduling tasks).
    Dataset<Row> events = events(batch, config).filter(col("user_key").isNotNull())
        .withColumn("_cart", coalesce(expr(config.cartValue()).cast("double"), lit(0.0)));
    List<Row> rows = events.collectAsList();
    if (rows.isEmpty()) {
      return;
    }
    long read = System.nanoTime();
    org.apache.spark.sql.types.StructType schema = events.schema();
    int user = schema.fieldIndex("user_key");
    int partition = schema.fieldIndex("kafka_partition");
    int offset = schema.fieldIndex("kafka_offset");
    int name = schema.fieldIndex("event_name");
    int cart = schema.fieldIndex("_cart");
    int collected = schema.fieldIndex("collector_tstamp");
    Set<String> users = new LinkedHashSet<>();
    List<SpeedView.Seen> records = new ArrayList<>(rows.size());
    for (Row r : rows) {
      users.add(r.getString(user));
      records.add(new SpeedView.Seen(r.getString(user), r.getInt(partition), r.getLong(offset), r.getString(name),
          r.getDouble(cart), r.getTimestamp(collected).toInstant()));
    }
    Map<String, Row> states = untilAvailable(batchId, () -> lookUp(records, users));
    long looked = System.nanoTime();
    List<Row> joinedRows = new ArrayList<>(rows.size());
    for (Row r : rows) {
      Object[] values = new Object[r.length() + 1];
      for (int i = 0; i < r.length(); i++) {
        values[i] = r.get(i);
      }
      values[r.length()] = states.get(r.getString(user));
      joinedRows.add(org.apache.spark.sql.RowFactory.create(values));
    }
    Dataset<Row> joined = batch.sparkSession().createDataFrame(joinedRows, schema.add("state", StateColumns.STATE, false));
    Dataset<Row> outputs = RuleOutputs.outputs(joined, config.rules(), topics);
    List<Row> out = outputs == null ? List.of() : outputs.collectAsList();
    long decided = System.nanoTime();
    produce(out);
    long producedAt = Instant.now().toEpochMilli();
    List<Long> latencies = new ArrayList<>();
    for (Row o : out) {
      if (o.getString(0).equals(config.notificationsTopic())) {
        String value = o.getString(2);
        int at = value.indexOf("\"collector_tstamp\":\"") + 20;
        latencies.add(producedAt - Instant.parse(value.substring(at, value.indexOf('"', at))).toEpochMilli());
      }
    }
    Percentiles latency = Percentiles.of(latencies.stream().mapToLong(Long::longValue).toArray());
    last = latency;
    long done = System.nanoTime();
    log.accept(String.format(java.util.Locale.ROOT,
        "speed batch %d: %d events, %d users, %d records out, %s; %.0f ms (read %.0f, state %.0f, rules %.0f, produce %.0f)",
        batchId, rows.size(), users.size(), out.size(), latency, (done - started) / 1e6, (read - started) / 1e6,
        (looked - read) / 1e6, (decided - looked) / 1e6, (done - decided) / 1e6));
  }

  /** Sends every output record and waits until Kafka has acknowledged them all (acks=all, idempotent). */
  private void produce(List<Row> out) throws Exception {
    if (out.isEmpty()) {
      return;
    }
    if (producer == null) {
      java.util.Properties props = new java.util.Properties();
      props.put("bootstrap.servers", config.bootstrapServers());
      props.put("acks", "all");
      props.put("enable.idempotence", "true");
      props.put("linger.ms", "0");
      producer = new org.apache.kafka.clients.producer.KafkaProducer<>(props,
          new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer());
    }
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>(out.size());
    for (Row o : out) {
      sent.add(producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(o.getString(0), o.getString(1), o.getString(2))));
    }
    producer.flush();
    for (java.util.concurrent.Future<?> f : sent) {
      f.get(); // a failed send fails the batch, which Spark then runs again: nothing is lost
    }
  }

  private Map<String, Row> lookUp(List<SpeedView.Seen> records, Set<String> users) throws IOException {
    connect();
    speedView.record(records);
    long version = reader.committedVersion();
    Map<Integer, Long> cutoff = version < 0 ? Map.of()
        : meta.publish(version).map(ViewMeta.Publish::coveredOffsets).orElse(Map.of());
    Map<String, UserState> batchView = reader.getAll(users);
    Map<String, SpeedView.Counters> counters = speedView.counters(users, cutoff);
    Map<String, Row> rows = new java.util.HashMap<>();
    for (String user : users) {
      rows.put(user, StateColumns.state(batchView.get(user), counters.get(user)));
    }
    return rows;
  }

  /** A lookup that may meet an HBase outage. */
  @FunctionalInterface
  interface Lookup<T> {
    T run() throws IOException;
  }

  /** Runs the lookup until HBase answers, waiting longer each time (up to a minute); never gives up on a batch. */
  private <T> T untilAvailable(long batchId, Lookup<T> lookup) throws IOException, InterruptedException {
    long pause = config.state().backoff().toMillis();
    while (true) {
      try {
        return lookup.run();
      } catch (StateStoreUnavailableException | IOException e) {
        log.accept("speed batch " + batchId + ": state store unavailable (" + e.getMessage() + "); retrying in " + pause
            + " ms");
        closeQuietly();
        Thread.sleep(pause); // back-off while HBase is down; the batch is held, not dropped
        pause = Math.min(60_000, pause * 2);
      }
    }
  }

  private void closeQuietly() {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (IOException ignored) {
      // the connection is being replaced
    }
    connection = null;
  }

  @Override
  public void close() {
    closeQuietly();
    if (producer != null) {
      producer.close();
      producer = null;
    }
  }
}
