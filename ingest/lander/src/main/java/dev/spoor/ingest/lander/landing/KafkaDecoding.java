package dev.spoor.ingest.lander.landing;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.base64;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import dev.spoor.lake.LakeTables;
import java.util.Arrays;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Pure transformations from Kafka records (the columns of Spark's Kafka source: key, value, topic,
 * partition, offset, timestamp) to rows of the lake's tables. A record of the good topic that is not a
 * Spoor event (undecodable, or without the fields every event has) is not dropped: it becomes a bad
 * row with failure type {@code parse}, its bytes in base64.
 */
public final class KafkaDecoding {
  private static final Map<String, String> JSON_OPTIONS = Map.of("mode", "PERMISSIVE");
  private static final String[] REQUIRED = {"event_id", "event_name", "event_fingerprint", "collector_tstamp",
      "derived_tstamp", "event_date"};

  private KafkaDecoding() {}

  /** Kafka records with the decoded event in column {@code e} and validity in {@code valid}. */
  public static Dataset<Row> decodeEvents(Dataset<Row> kafka) {
    Column valid = lit(true);
    for (String field : REQUIRED) {
      valid = valid.and(col("e." + field).isNotNull());
    }
    return kafka
        .withColumn("e", from_json(col("value").cast(DataTypes.StringType), LakeTables.EVENT_JSON, JSON_OPTIONS))
        .withColumn("valid", coalesce(valid, lit(false)));
  }

  /** The valid events, shaped as the {@code events} table. */
  public static Dataset<Row> events(Dataset<Row> decoded) {
    java.util.List<Column> columns = new java.util.ArrayList<>();
    Arrays.stream(LakeTables.EVENT_JSON.fieldNames()).forEach(f -> columns.add(col("e." + f).as(f)));
    columns.add(col("partition").as("kafka_partition"));
    columns.add(col("offset").as("kafka_offset"));
    columns.add(current_timestamp().as("landed_at"));
    return decoded.filter(col("valid")).select(columns.toArray(Column[]::new));
  }

  /** The records of the good topic that are not events, as bad rows. */
  public static Dataset<Row> undecodable(Dataset<Row> decoded) {
    return decoded.filter(org.apache.spark.sql.functions.not(col("valid")))
        .select(
            lit("parse").as("failure_type"),
            array(concat(lit("lander: record "), col("topic"), lit("/"), col("partition").cast("string"), lit("@"),
                col("offset").cast("string"),
                lit(" is not a Spoor event (undecodable, or missing event_id, event_name, event_fingerprint,"
                    + " collector_tstamp, derived_tstamp or event_date)"))).as("errors"),
            base64(col("value")).as("payload"),
            lit("base64").as("payload_encoding"),
            col("timestamp").as("collector_tstamp"),
            lit("lander").as("source"),
            lit(null).cast(DataTypes.StringType).as("app_id"),
            lit(null).cast(DataTypes.StringType).as("event_id"),
            to_date(col("timestamp")).as("arrival_date"),
            col("topic").as("kafka_topic"),
            col("partition").as("kafka_partition"),
            col("offset").as("kafka_offset"),
            current_timestamp().as("landed_at"));
  }

  /** Records of the bad topic, as the {@code bad_events} table; undecodable ones keep their bytes. */
  public static Dataset<Row> badRows(Dataset<Row> kafka) {
    Dataset<Row> decoded = kafka.withColumn("b",
        from_json(col("value").cast(DataTypes.StringType), LakeTables.BAD_ROW_JSON, JSON_OPTIONS));
    Column ok = coalesce(col("b.failure_type").isNotNull().and(col("b.errors").isNotNull()), lit(false));
    Column arrival = coalesce(col("b.collector_tstamp"), col("timestamp"));
    return decoded.select(
        functionsWhen(ok, col("b.failure_type"), lit("parse")).as("failure_type"),
        functionsWhen(ok, col("b.errors"), array(lit("lander: record on the bad topic is not a Spoor bad row"))).as("errors"),
        functionsWhen(ok, col("b.payload"), base64(col("value"))).as("payload"),
        functionsWhen(ok, col("b.payload_encoding"), lit("base64")).as("payload_encoding"),
        arrival.as("collector_tstamp"),
        functionsWhen(ok, col("b.source"), lit("lander")).as("source"),
        col("b.app_id").as("app_id"),
        col("b.event_id").as("event_id"),
        to_date(arrival).as("arrival_date"),
        col("topic").as("kafka_topic"),
        col("partition").as("kafka_partition"),
        col("offset").as("kafka_offset"),
        current_timestamp().as("landed_at"));
  }

  private static Column functionsWhen(Column condition, Column then, Column otherwise) {
    return org.apache.spark.sql.functions.when(condition, then).otherwise(otherwise);
  }
}
