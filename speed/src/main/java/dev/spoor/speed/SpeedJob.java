package dev.spoor.speed;

import dev.spoor.speed.config.SpeedConfig;
import dev.spoor.speed.rule.RuleOutputs;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The speed layer's Structured Streaming query: the good topic, micro-batches of at most
 * {@code max-offsets-per-trigger} records, each handled by {@link SpeedBatch}; offsets in the
 * checkpoint, so a restart resumes where the last completed batch ended (a batch interrupted midway is
 * run again: its notifications carry the same ids).
 */
public final class SpeedJob {
  private SpeedJob() {}

  public static StreamingQuery start(SparkSession spark, SpeedConfig config, SpeedBatch batch) throws TimeoutException {
    RuleOutputs.validate(config.rules(), SpeedBatch.emptyJoined(spark, config));
    Dataset<Row> kafka = spark.readStream().format("kafka")
        .option("kafka.bootstrap.servers", config.bootstrapServers())
        .option("subscribe", config.goodTopic())
        .option("startingOffsets", config.startingOffsets())
        .option("maxOffsetsPerTrigger", config.maxOffsetsPerTrigger())
        .option("failOnDataLoss", "false")
        .load();
    Trigger trigger = config.triggerInterval().isZero() ? Trigger.ProcessingTime(0)
        : Trigger.ProcessingTime(config.triggerInterval().toMillis());
    return kafka.writeStream().queryName("spoor-speed").foreachBatch(batch)
        .option("checkpointLocation", config.checkpointDir())
        .trigger(trigger)
        .start();
  }
}
