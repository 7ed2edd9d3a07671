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
import org.apache.spark.storage.StorageLevel;

/**
 * One micro-batch of the speed layer, on the driver: decode the events; record them in the speed view;
 * look their users up (one multi-get of the batch view at the committed version, one of the speed view
 * beyond that version's Kafka cutoff); join; evaluate the rules as Spark SQL; write notifications,
 * routed, decorated and gated events to Kafka; report latency. When HBase is unavailable the batch
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
    Dataset<Row> events = events(batch, config).withColumn("_cart", coalesce(expr(config.cartValue()).cast("double"), lit(0.0)))
        .persist(StorageLevel.MEMORY_AND_DISK());
    List<Row> seen = events.filter(col("user_key").isNotNull())
        .select("user_key", "kafka_partition", "kafka_offset", "event_name", "_cart", "collector_tstamp").collectAsList();
    if (seen.isEmpty()) {
      events.unpersist();
      return;
    }
    Set<String> users = new LinkedHashSet<>();
    List<SpeedView.Seen> records = new ArrayList<>(seen.size());
    for (Row r : seen) {
      users.add(r.getString(0));
      records.add(new SpeedView.Seen(r.getString(0), r.getInt(1), r.getLong(2), r.getString(3), r.getDouble(4),
          r.getTimestamp(5).toInstant()));
    }
    List<Row> states = untilAvailable(batchId, () -> lookUp(records, users));
    SparkSession spark = batch.sparkSession();
    Dataset<Row> joined = events.join(spark.createDataFrame(states, StateColumns.ROWS), "user_key");
    Dataset<Row> outputs = RuleOutputs.outputs(joined, config.rules(), topics);
    long produced = 0;
    Percentiles latency = Percentiles.NONE;
    if (outputs != null) {
      outputs = outputs.persist(StorageLevel.MEMORY_AND_DISK());
      produced = outputs.count();
      outputs.write().format("kafka").option("kafka.bootstrap.servers", config.bootstrapServers())
          .option("kafka.acks", "all").option("kafka.enable.idempotence", "true").save();
      long producedAt = Instant.now().toEpochMilli();
      List<Row> notified = outputs.filter(col("topic").equalTo(config.notificationsTopic()))
          .select(expr("get_json_object(value, '$.collector_tstamp')")).collectAsList();
      long[] millis = new long[notified.size()];
      for (int i = 0; i < millis.length; i++) {
        millis[i] = producedAt - Instant.parse(notified.get(i).getString(0)).toEpochMilli();
      }
      latency = Percentiles.of(millis);
      outputs.unpersist();
    }
    events.unpersist();
    last = latency;
    log.accept(String.format(java.util.Locale.ROOT, "speed batch %d: %d events, %d users, %d records out, %s; %.0f ms",
        batchId, seen.size(), users.size(), produced, latency, (System.nanoTime() - started) / 1e6));
  }

  private List<Row> lookUp(List<SpeedView.Seen> records, Set<String> users) throws IOException {
    connect();
    speedView.record(records);
    long version = reader.committedVersion();
    Map<Integer, Long> cutoff = version < 0 ? Map.of()
        : meta.publish(version).map(ViewMeta.Publish::coveredOffsets).orElse(Map.of());
    Map<String, UserState> batchView = reader.getAll(users);
    Map<String, SpeedView.Counters> counters = speedView.counters(users, cutoff);
    List<Row> rows = new ArrayList<>(users.size());
    for (String user : users) {
      rows.add(StateColumns.row(user, batchView.get(user), counters.get(user)));
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
  }
}
