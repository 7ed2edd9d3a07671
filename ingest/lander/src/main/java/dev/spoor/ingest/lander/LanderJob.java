package dev.spoor.ingest.lander;

import dev.spoor.ingest.lander.config.LanderConfig;
import dev.spoor.ingest.lander.landing.BadRowLanding;
import dev.spoor.ingest.lander.landing.CheckpointTopics;
import dev.spoor.ingest.lander.landing.EventLanding;
import dev.spoor.ingest.lander.landing.LandedOffsets;
import dev.spoor.lake.LakeTables;
import dev.spoor.ingest.lander.view.ContinuousViews;
import dev.spoor.ingest.lander.view.ViewLanding;
import dev.spoor.kafka.TopicProvisioner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import dev.spoor.config.InvalidConfigException;
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
  /**
   * The good stream's checkpoint: named apart from the "good" of Spoor versions that de-duplicated by
   * MERGE, whose checkpoints hold no de-duplication state (a new one resumes from the lake's offsets).
   */
  static final String GOOD_CHECKPOINT = "good-dedup";
  /** The local property Spark sets on a stream's thread to the query's id. */
  private static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";

  private LanderJob() {}

  /** Creates the tables if needed and starts both streams with the given trigger. */
  public static List<StreamingQuery> start(SparkSession spark, LanderConfig config, Trigger trigger)
      throws TimeoutException {
    // A topic nobody has produced to yet (no bad event so far) is created, never a failed query.
    new TopicProvisioner(config.kafka(), Duration.ofSeconds(60)).ensure(config.topics());
    LakeTables.createIfMissing(spark, config.lakeRoot());
    // The de-duplication's keys live in the checkpoint's state store: RocksDB (off the JVM heap),
    // committed as a changelog each batch. Recorded in a new checkpoint, so set before the streams start.
    spark.conf().set("spark.sql.streaming.stateStore.providerClass",
        "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider");
    spark.conf().set("spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled", "true");
    String goodCheckpoint = config.checkpoint(GOOD_CHECKPOINT);
    EventLanding events = new EventLanding(config.lakeRoot(), config.goodTopic(), config.dedupHorizon(),
        config.properties(), goodCheckpoint, config.erasureKey());
    BadRowLanding badRows = new BadRowLanding(config.lakeRoot(), config.badTopic(), config.checkpoint(BAD), config.erasureKey());
    Dataset<Row> goodTopic = kafka(spark, config, GOOD, config.goodTopic(), goodCheckpoint, events.landed(spark));
    StreamingQuery good = start(events.deduplicated(goodTopic), config, GOOD, goodCheckpoint, trigger,
        (batch, id) -> events.land(batch, id, appId(batch, GOOD)));
    Dataset<Row> badTopic = kafka(spark, config, BAD, config.badTopic(), config.checkpoint(BAD),
        LandedOffsets.read(spark, config.table(LakeTables.BAD_EVENTS), config.badTopic()));
    StreamingQuery bad = start(badTopic, config, BAD, config.checkpoint(BAD), trigger,
        (batch, id) -> badRows.land(batch, id, appId(batch, BAD)));
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

  /**
   * The topic as a stream. A new checkpoint starts after what the lake has recorded as landed, so
   * a lost checkpoint, or one of an earlier layout, resumes where landing stopped.
   */
  private static Dataset<Row> kafka(SparkSession spark, LanderConfig config, String name, String topic,
      String checkpoint, LandedOffsets landed) {
    var hadoop = spark.sparkContext().hadoopConfiguration();
    CheckpointTopics.requireSameTopic(checkpoint, topic, hadoop, "spoor.kafka.topics." + name);
    String starting = config.startingOffsets();
    if (CheckpointTopics.isNew(checkpoint, hadoop)) {
      Map<Integer, Long> ends = new TopicProvisioner(config.kafka(), Duration.ofSeconds(60)).endOffsets(topic);
      landed.offsets().forEach((partition, offset) -> {
        if (offset >= ends.getOrDefault(partition, 0L)) {
          throw new InvalidConfigException("spoor.kafka.topics." + name, "the lake " + config.lakeRoot()
              + " has landed " + topic + " up to offset " + offset + " of partition " + partition + ", but the topic ends at "
              + ends.getOrDefault(partition, 0L) + ": it is not the topic this lake landed from (deleted and created"
              + " again?). Land it into another lake (SPOOR_LAKE_ROOT), or give the new topic another name.");
        }
      });
      starting = landed.startingOffsets(ends.size(), config.startingOffsets());
    }
    return spark.readStream().format("kafka")
        .options(config.kafka().sparkOptions())
        .option("subscribe", topic)
        .option("startingOffsets", starting)
        .option("maxOffsetsPerTrigger", config.maxOffsetsPerTrigger())
        .option("includeHeaders", "false")
        .load();
  }

  private static StreamingQuery start(Dataset<Row> stream, LanderConfig config, String name, String checkpoint,
      Trigger trigger, VoidFunction2<Dataset<Row>, Long> land) throws TimeoutException {
    return stream.writeStream()
        .queryName("spoor-lander-" + name)
        .option("checkpointLocation", checkpoint)
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
