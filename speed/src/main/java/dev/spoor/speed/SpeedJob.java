package dev.spoor.speed;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;

import dev.spoor.kafka.TopicProvisioner;
import dev.spoor.lake.LakeTables;
import dev.spoor.speed.config.SpeedConfig;
import dev.spoor.speed.decide.StateLookup;
import dev.spoor.speed.rule.RuleOutputs;
import dev.spoor.speed.state.StateColumns;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;

/**
 * The speed layer's Structured Streaming query, one plan built once at start-up and run in the tasks
 * that hold the events: the good topic (micro-batches of at most {@code max-offsets-per-trigger}
 * records, or continuous processing's long-running tasks) → decode → {@link StateLookup} (record in the speed view, batched multi-gets of the batch
 * and speed views, per task) → the rules as one Catalyst projection ({@link RuleOutputs}) → Spark's
 * Kafka sink (acks=all, idempotent producer per executor). Nothing is collected to the driver.
 * Offsets are in the checkpoint: a restart resumes after the last completed batch, and a batch
 * interrupted midway runs again, its records carrying the same keys and notification ids.
 */
public final class SpeedJob {
  private SpeedJob() {}

  /** The event columns rules see, from Kafka records, plus the original record and the cart value. */
  public static Dataset<Row> events(Dataset<Row> kafka, SpeedConfig config) {
    return kafka
        .withColumn("e", from_json(col("value").cast("string"), LakeTables.EVENT_JSON, Map.of("mode", "PERMISSIVE")))
        .filter(col("e.event_id").isNotNull().and(col("e.collector_tstamp").isNotNull()))
        .select(col("e.*"), col("key").as("kafka_key"), col("value").as("kafka_value"), col("partition").as("kafka_partition"),
            col("offset").as("kafka_offset"))
        .withColumn("properties", from_json(col("properties"), config.properties(), Map.of("mode", "PERMISSIVE")))
        .withColumn("user_key", coalesce(col("user_id"), col("domain_userid")))
        .filter(col("user_key").isNotNull())
        .withColumn("_cart", coalesce(expr(config.cartValue()).cast("double"), lit(0.0)));
  }

  /** Events with their users' state attached in the tasks (see {@link StateLookup}). */
  public static Dataset<Row> withState(Dataset<Row> events, SpeedConfig config) {
    StructType schema = events.schema();
    return events.mapPartitions(new StateLookup(config, schema),
        Encoders.row(StateLookup.output(schema)));
  }

  /** Events joined with an empty state: the schema rules are validated against before the stream starts. */
  static Dataset<Row> emptyJoined(SparkSession spark, SpeedConfig config) {
    Dataset<Row> kafka = spark.createDataFrame(List.of(), new StructType()
        .add("key", "binary").add("value", "binary").add("topic", "string").add("partition", "int")
        .add("offset", "long").add("timestamp", "timestamp"));
    return events(kafka, config).join(spark.createDataFrame(List.of(), StateColumns.ROWS), "user_key");
  }

  /**
   * Continuous processing and Real-Time Mode run one task per Kafka partition for as long as an epoch or
   * batch lasts; with fewer cores than partitions the partitions left over wait or are never read.
   * Refused up front instead.
   */
  static void requireACorePerPartition(SparkSession spark, SpeedConfig config) {
    int partitions = new TopicProvisioner(config.kafka(), java.time.Duration.ofSeconds(30))
        .partitions(config.goodTopic());
    int cores = spark.sparkContext().defaultParallelism();
    if (cores < partitions) {
      throw new dev.spoor.config.InvalidConfigException("spoor.speed.trigger", config.mode().setting(), "a task slot per partition of "
          + config.goodTopic() + " (" + partitions + " partitions, Spark has " + cores + "): its tasks run for a whole "
          + "batch or epoch, so partitions beyond the slots would wait or never be read; give Spark more (local[" + partitions
          + "]) or use micro-batch");
    }
  }

  /**
   * Spark 4.1's {@code Trigger.RealTime}, found at run time: the speed layer is compiled against the
   * batch jobs' Spark line and runs on 4.1 from the {@code speed-realtime} module's classpath.
   */
  static Trigger realTime(java.time.Duration checkpointInterval) {
    try {
      return (Trigger) Trigger.class.getMethod("RealTime", long.class).invoke(null, checkpointInterval.toMillis());
    } catch (NoSuchMethodException e) {
      throw new dev.spoor.config.InvalidConfigException("spoor.speed.trigger", "real-time", "Spark 4.1 or later (this is Spark "
          + org.apache.spark.package$.MODULE$.SPARK_VERSION() + "): run the speed layer from the speed-realtime module's "
          + "classpath (bin/spoor speed does when the trigger is real-time)");
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create Spark's real-time trigger", e);
    }
  }

  public static StreamingQuery start(SparkSession spark, SpeedConfig config) throws TimeoutException {
    RuleOutputs.validate(config.rules(), emptyJoined(spark, config));
    var reader = spark.readStream().format("kafka")
        .options(config.kafka().sparkOptions())
        .option("subscribe", config.goodTopic())
        .option("startingOffsets", config.startingOffsets())
        .option("failOnDataLoss", "false");
    if (config.mode() == SpeedConfig.Mode.MICRO_BATCH) {
      reader = reader.option("maxOffsetsPerTrigger", config.maxOffsetsPerTrigger());
    }
    Dataset<Row> outputs = RuleOutputs.outputs(withState(events(reader.load(), config), config), config.rules(), config.topics());
    var writer = outputs.writeStream().queryName("spoor-speed").format("kafka")
        .options(config.kafka().sparkOptions())
        .option("kafka.acks", "all")
        .option("kafka.enable.idempotence", "true")
        .option("kafka.linger.ms", "0")
        .option("checkpointLocation", config.checkpointDir());
    if (config.mode().longRunningTasks()) {
      requireACorePerPartition(spark, config);
    }
    return switch (config.mode()) {
      case CONTINUOUS -> writer.trigger(Trigger.Continuous(config.triggerInterval().toMillis())).start();
      case REAL_TIME -> writer.outputMode("update").trigger(realTime(config.triggerInterval())).start();
      case MICRO_BATCH -> writer.option("asyncProgressTrackingEnabled", Boolean.toString(config.asyncProgress()))
          .trigger(Trigger.ProcessingTime(config.triggerInterval().toMillis())).start();
    };
  }
}
