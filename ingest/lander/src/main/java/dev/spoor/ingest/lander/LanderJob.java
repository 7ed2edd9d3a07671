package dev.spoor.ingest.lander;

import dev.spoor.ingest.lander.config.LanderConfig;
import dev.spoor.ingest.lander.landing.BadRowLanding;
import dev.spoor.ingest.lander.landing.CheckpointTopics;
import dev.spoor.ingest.lander.landing.EventLanding;
import dev.spoor.lake.LakeTables;
import dev.spoor.ingest.lander.view.ContinuousViews;
import dev.spoor.ingest.lander.view.ViewLanding;
import dev.spoor.kafka.TopicProvisioner;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The two landing streams: {@code spoor.events.good} into {@code events} and {@code spoor.events.bad}
 * into {@code bad_events}. Each keeps its Kafka offsets in its own checkpoint for reading, but what
 * has landed is recorded in the tables themselves (per table and topic, in the same Delta commit as
 * the rows: see {@code LandedOffsets}), so a batch re-run after a crash, or a stream started on a
 * lost checkpoint from {@code earliest}, lands nothing twice: exactly once into Delta. Writes also
 * carry Delta's idempotent transaction id of the query and batch.
 */
public final class LanderJob {
  public static final String GOOD = "good";
  public static final String BAD = "bad";
  /** The local property Spark sets on a stream's thread to the query's id. */
  private static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";

  private LanderJob() {}

  /** Creates the tables if needed and starts both streams with the given trigger. */
  public static List<StreamingQuery> start(SparkSession spark, LanderConfig config, Trigger trigger)
      throws TimeoutException {
    // A topic nobody has produced to yet (no bad event so far) is created, never a failed query.
    new TopicProvisioner(config.bootstrapServers(), Duration.ofSeconds(60)).ensure(config.topics());
    LakeTables.createIfMissing(spark, config.lakeRoot());
    // The landing MERGE's source is the micro-batch, cached, and re-reading a batch's offset range
    // from Kafka gives the same records: deterministic, so Delta need not copy it first (the streams
    // clone this setting when they start).
    spark.conf().set("spark.databricks.delta.merge.materializeSource", "none");
    EventLanding events = new EventLanding(config.lakeRoot(), config.goodTopic(), config.dedupHorizon(),
        config.properties());
    BadRowLanding badRows = new BadRowLanding(config.lakeRoot(), config.badTopic());
    StreamingQuery good = stream(spark, config, config.goodTopic(), GOOD, trigger, (batch, id) ->
        events.land(batch, id, appId(batch, GOOD)));
    StreamingQuery bad = stream(spark, config, config.badTopic(), BAD, trigger, (batch, id) ->
        badRows.land(batch, id, appId(batch, BAD)));
    return List.of(good, bad);
  }

  public static final String VIEWS = "views";

  /**
   * Starts the stream that maintains the continuous views from the events table (none when no view
   * is declared). Run it after the landing streams with {@code AvailableNow}, beside them otherwise.
   */
  public static java.util.Optional<StreamingQuery> startViews(SparkSession spark, LanderConfig config, Trigger trigger)
      throws TimeoutException {
    if (config.views().isEmpty()) {
      return java.util.Optional.empty();
    }
    ContinuousViews views = new ContinuousViews(config.views(), config.lakeRoot());
    LakeTables.createIfMissing(spark, config.lakeRoot());
    try {
      views.createIfMissing(spark, LakeTables.EVENTS_TABLE);
    } catch (Exception e) { // Spark's AnalysisException is checked but undeclared
      if (e instanceof org.apache.spark.sql.AnalysisException) {
        throw new dev.spoor.config.InvalidConfigException("spoor.lander.views",
            "a view does not fit the events table: " + e.getMessage().lines().findFirst().orElse(""));
      }
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
    VoidFunction2<Dataset<Row>, Long> land = (batch, id) -> new ViewLanding(views, appId(batch, VIEWS)).land(batch, id);
    return java.util.Optional.of(spark.readStream().format("delta")
        .option("skipChangeCommits", "true")
        .option("maxFilesPerTrigger", 200)
        .load(config.table(LakeTables.EVENTS))
        .writeStream()
        .queryName("spoor-lander-" + VIEWS)
        .option("checkpointLocation", config.checkpoint(VIEWS))
        .trigger(trigger)
        .foreachBatch(land)
        .start());
  }

  private static StreamingQuery stream(SparkSession spark, LanderConfig config, String topic, String name,
      Trigger trigger, VoidFunction2<Dataset<Row>, Long> land) throws TimeoutException {
    CheckpointTopics.requireSameTopic(config.checkpoint(name), topic, spark.sparkContext().hadoopConfiguration(),
        "spoor.kafka.topics." + name);
    Dataset<Row> kafka = spark.readStream().format("kafka")
        .option("kafka.bootstrap.servers", config.bootstrapServers())
        .option("subscribe", topic)
        .option("startingOffsets", config.startingOffsets())
        .option("maxOffsetsPerTrigger", config.maxOffsetsPerTrigger())
        .option("includeHeaders", "false")
        .load();
    return kafka.writeStream()
        .queryName("spoor-lander-" + name)
        .option("checkpointLocation", config.checkpoint(name))
        .trigger(trigger)
        .foreachBatch(land)
        .start();
  }

  private static String appId(Dataset<Row> batch, String name) {
    String queryId = batch.sparkSession().sparkContext().getLocalProperty(QUERY_ID_PROPERTY);
    if (queryId == null) {
      throw new IllegalStateException("no streaming query id on the micro-batch thread of " + name);
    }
    return "spoor-lander-" + name + "-" + queryId;
  }
}
