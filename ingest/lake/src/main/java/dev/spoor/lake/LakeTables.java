package dev.spoor.lake;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The bronze tables of the lake, with explicit schemas and properties, created on first use:
 * {@code events} (raw, immutable good events, partitioned by {@code event_date}, the UTC date of
 * {@code derived_tstamp}) and {@code bad_events} (every rejection with its reasons, partitioned by
 * {@code arrival_date}). Column types stay within what Trino's Delta connector reads (no VARIANT, no
 * type widening).
 */
public final class LakeTables {
  public static final String EVENTS = "events";
  public static final String BAD_EVENTS = "bad_events";

  /** The fields of an event as the collector encodes it on Kafka (see ingest/model's Event). */
  public static final StructType EVENT_JSON = new StructType()
      .add("event_id", DataTypes.StringType)
      .add("app_id", DataTypes.StringType)
      .add("platform", DataTypes.StringType)
      .add("event_name", DataTypes.StringType)
      .add("schema", DataTypes.StringType)
      .add("user_id", DataTypes.StringType)
      .add("domain_userid", DataTypes.StringType)
      .add("domain_sessionid", DataTypes.StringType)
      .add("dvce_created_tstamp", DataTypes.TimestampType)
      .add("dvce_sent_tstamp", DataTypes.TimestampType)
      .add("true_tstamp", DataTypes.TimestampType)
      .add("collector_tstamp", DataTypes.TimestampType)
      .add("derived_tstamp", DataTypes.TimestampType)
      .add("page_url", DataTypes.StringType)
      .add("page_referrer", DataTypes.StringType)
      .add("useragent", DataTypes.StringType)
      .add("ua_browser", DataTypes.StringType)
      .add("ua_browser_version", DataTypes.StringType)
      .add("ua_os", DataTypes.StringType)
      .add("ua_device_class", DataTypes.StringType)
      .add("user_ipaddress", DataTypes.StringType)
      .add("properties", DataTypes.StringType)
      .add("contexts", DataTypes.StringType)
      .add("event_fingerprint", DataTypes.StringType)
      .add("event_date", DataTypes.DateType)
      .add("tracker", DataTypes.StringType)
      .add("source", DataTypes.StringType)
      .add("quality_flags", DataTypes.createArrayType(DataTypes.StringType));

  /** The {@code events} table: the event fields plus where and when each was landed. */
  public static final StructType EVENTS_TABLE = EVENT_JSON
      .add("kafka_partition", DataTypes.IntegerType)
      .add("kafka_offset", DataTypes.LongType)
      .add("landed_at", DataTypes.TimestampType);

  /** The fields of a bad row as the collector encodes it (see ingest/model's BadRow). */
  public static final StructType BAD_ROW_JSON = new StructType()
      .add("failure_type", DataTypes.StringType)
      .add("errors", DataTypes.createArrayType(DataTypes.StringType))
      .add("payload", DataTypes.StringType)
      .add("payload_encoding", DataTypes.StringType)
      .add("collector_tstamp", DataTypes.TimestampType)
      .add("source", DataTypes.StringType)
      .add("app_id", DataTypes.StringType)
      .add("event_id", DataTypes.StringType)
      .add("payload_truncated", DataTypes.BooleanType)
      .add("payload_bytes", DataTypes.LongType)
      .add("payload_sha256", DataTypes.StringType);

  public static final StructType BAD_EVENTS_TABLE = BAD_ROW_JSON
      .add("arrival_date", DataTypes.DateType)
      .add("kafka_topic", DataTypes.StringType)
      .add("kafka_partition", DataTypes.IntegerType)
      .add("kafka_offset", DataTypes.LongType)
      .add("landed_at", DataTypes.TimestampType);

  /**
   * How long a table remembers an idempotent transaction id (Delta's {@code SetTransaction}: one per
   * lander query and per batch run id and table) before a checkpoint drops it. Idempotency holds
   * within it: a scheduler retry or a re-run of a run id within 7 days commits nothing twice (a run
   * id that succeeded is also recorded in {@code batch_runs}, forever); the lander's re-runs happen
   * within seconds. Without it the ids pile up in every checkpoint for ever.
   */
  public static final String TRANSACTION_RETENTION = "interval 7 days";
  static final String TRANSACTION_RETENTION_KEY = "delta.setTransactionRetentionDuration";

  /**
   * The columns of {@code events} with statistics ({@link TableStatistics}): ids of events, never of
   * people, and times.
   */
  static final String EVENTS_STATISTICS = "event_id,collector_tstamp,derived_tstamp,event_name,event_fingerprint";
  /** The string columns of events that hold no person's data. */
  public static final java.util.Set<String> EVENTS_SAFE_STRINGS = java.util.Set.of("event_id", "event_name",
      "event_fingerprint", "app_id", "platform", "schema", "tracker", "source");
  /** The string columns of {@code bad_events} that hold no payload: statistics are safe on them. */
  static final java.util.Set<String> BAD_EVENTS_SAFE_STRINGS = java.util.Set.of("failure_type", "kafka_topic");

  private LakeTables() {}

  /**
   * Sets {@link #TRANSACTION_RETENTION} on a table created without it (one commit, once; a value an
   * operator set is left alone).
   */
  public static void ensureTransactionRetention(SparkSession spark, String table) {
    Row detail = spark.sql("DESCRIBE DETAIL delta.`" + table + "`").select("properties").first();
    java.util.Map<String, String> properties = detail.getJavaMap(0);
    if (!properties.containsKey(TRANSACTION_RETENTION_KEY)) {
      spark.sql("ALTER TABLE delta.`" + table + "` SET TBLPROPERTIES ('" + TRANSACTION_RETENTION_KEY + "' = '"
          + TRANSACTION_RETENTION + "')");
    }
  }

  /** Creates both tables at {@code lakeRoot} if they do not exist yet. Idempotent. */
  public static void createIfMissing(SparkSession spark, String lakeRoot) {
    DeltaTable.createIfNotExists(spark)
        .location(lakeRoot + "/" + EVENTS)
        .addColumns(EVENTS_TABLE)
        .partitionedBy("event_date")
        .comment("Raw, immutable good events, exactly once, de-duplicated within the landing horizon")
        .property("delta.checkpointInterval", "20")
        .property(TRANSACTION_RETENTION_KEY, TRANSACTION_RETENTION)
        .property("delta.enableChangeDataFeed", "true")
        .property(TableStatistics.KEY, EVENTS_STATISTICS)
        .execute();
    TableStatistics.on(DeltaTable.createIfNotExists(spark)
        .location(lakeRoot + "/" + BAD_EVENTS)
        .addColumns(BAD_EVENTS_TABLE)
        .partitionedBy("arrival_date")
        .comment("Every rejected event or request, with its failure type, reasons and original payload")
        .property("delta.checkpointInterval", "20")
        .property(TRANSACTION_RETENTION_KEY, TRANSACTION_RETENTION), BAD_EVENTS_TABLE, BAD_EVENTS_SAFE_STRINGS,
        java.util.Optional.of("arrival_date"))
        .execute();
    ensureTransactionRetention(spark, lakeRoot + "/" + EVENTS);
    ensureTransactionRetention(spark, lakeRoot + "/" + BAD_EVENTS);
    addMissingColumns(spark, lakeRoot + "/" + BAD_EVENTS, BAD_EVENTS_TABLE);
    TableStatistics.ensure(spark, lakeRoot + "/" + EVENTS, EVENTS_STATISTICS);
    TableStatistics.ensure(spark, lakeRoot + "/" + BAD_EVENTS, BAD_EVENTS_TABLE, BAD_EVENTS_SAFE_STRINGS,
        java.util.Optional.of("arrival_date"));
  }

  /**
   * Adds the columns of {@code schema} a table made by an earlier version lacks (nullable, at the end;
   * one commit, once), so the writers of this version can append to it.
   */
  static void addMissingColumns(SparkSession spark, String table, StructType schema) {
    java.util.Set<String> present = java.util.Set.of(spark.read().format("delta").load(table).schema().fieldNames());
    String missing = java.util.Arrays.stream(schema.fields()).filter(f -> !present.contains(f.name()))
        .map(f -> f.name() + " " + f.dataType().sql()).collect(java.util.stream.Collectors.joining(", "));
    if (!missing.isEmpty()) {
      spark.sql("ALTER TABLE delta.`" + table + "` ADD COLUMNS (" + missing + ")");
    }
  }
}
