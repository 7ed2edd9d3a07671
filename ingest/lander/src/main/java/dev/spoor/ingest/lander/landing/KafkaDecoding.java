package dev.spoor.ingest.lander.landing;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.base64;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import dev.spoor.lake.LakeTables;
import java.util.Arrays;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Pure transformations from Kafka records (the columns of Spark's Kafka source: key, value, topic,
 * partition, offset, timestamp) to rows of the lake's tables. A record of the good topic that is not a
 * Spoor event (undecodable, or without the fields every event has) is not dropped: it becomes a bad
 * row with failure type {@code parse}, its bytes in base64. Nor is an event the lake's readers could
 * not process (a poison event, whatever let it through): a property whose value is not of the type
 * the schemas declare (what every batch job, view and rule reads it as), or a number that is not
 * finite, makes it a bad row with failure type {@code schema} naming the property, its event id kept,
 * so one such event never stops landing or a job for everyone else.
 */
public final class KafkaDecoding {
  private static final Map<String, String> JSON_OPTIONS = Map.of("mode", "PERMISSIVE");
  private static final String[] REQUIRED = {"event_id", "event_name", "event_fingerprint", "collector_tstamp",
      "derived_tstamp", "event_date"};

  private KafkaDecoding() {}

  /**
   * Kafka records with the decoded event in column {@code e}, what is wrong with its properties in
   * {@code problems} (empty when nothing), and validity in {@code valid}. {@code properties} is the
   * typed struct of every declared property ({@code PropertiesSchema}).
   */
  public static Dataset<Row> decodeEvents(Dataset<Row> kafka, StructType properties) {
    Column decodable = lit(true);
    for (String field : REQUIRED) {
      decodable = decodable.and(col("e." + field).isNotNull());
    }
    return kafka
        .withColumn("e", from_json(col("value").cast(DataTypes.StringType), LakeTables.EVENT_JSON, JSON_OPTIONS))
        .withColumn("problems", problems(col("e.properties"), properties))
        .withColumn("valid", coalesce(decodable, lit(false)).and(size(col("problems")).equalTo(0)));
  }

  /** The column a property that does not read as its type puts the properties' JSON in. */
  private static final String MALFORMED = "__spoor_malformed";

  /**
   * A number in JSON text that a double cannot hold (it reads as infinite): an exponent of three
   * digits or more, or 300 digits in a row. Over-broad on purpose: it only marks an event for a
   * closer look.
   */
  private static final String HUGE_NUMBER = "[eE][+]?0*[1-9][0-9]{2,}|[0-9]{300,}";

  /**
   * One message per declared non-string property that does not read as its type or is not finite.
   * The properties are parsed once, strictly (NaN and Infinity do not read as numbers); only an event
   * whose parse failed somewhere, or with a number too large for a double, is looked at property by
   * property to name them ({@link PropertyProblems}: the exception, not the rule). Expressions per
   * property would cost every query seconds of planning and code generation with hundreds of them.
   */
  static Column problems(Column json, StructType properties) {
    Column typed = from_json(json, properties.add(MALFORMED, DataTypes.StringType), Map.of("mode", "PERMISSIVE",
        "columnNameOfCorruptRecord", MALFORMED, "allowNonNumericNumbers", "false"));
    Column suspect = coalesce(typed.getField(MALFORMED).isNotNull().or(json.rlike(HUGE_NUMBER)), lit(false));
    Column named = udf(new PropertyProblems(properties), DataTypes.createArrayType(DataTypes.StringType))
        .apply(json, typed);
    return when(suspect, named).otherwise(array().cast("array<string>"));
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

  /** The records of the good topic that are not events, or poison events, as bad rows. */
  public static Dataset<Row> undecodable(Dataset<Row> decoded) {
    Column poison = size(col("problems")).gt(0);
    Column where = concat(lit("lander: record "), col("topic"), lit("/"), col("partition").cast("string"), lit("@"),
        col("offset").cast("string"));
    return decoded.filter(org.apache.spark.sql.functions.not(col("valid")))
        .select(
            when(poison, lit("schema")).otherwise(lit("parse")).as("failure_type"),
            when(poison, transform(col("problems"), p -> concat(where, lit(": "), p))).otherwise(array(concat(where,
                lit(" is not a Spoor event (undecodable, or missing event_id, event_name, event_fingerprint,"
                    + " collector_tstamp, derived_tstamp or event_date)")))).as("errors"),
            base64(col("value")).as("payload"),
            lit("base64").as("payload_encoding"),
            col("timestamp").as("collector_tstamp"),
            lit("lander").as("source"),
            col("e.app_id").as("app_id"),
            col("e.event_id").as("event_id"),
            lit(false).as("payload_truncated"),
            length(col("value")).cast(DataTypes.LongType).as("payload_bytes"),
            lit(null).cast(DataTypes.StringType).as("payload_sha256"),
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
        when(ok, col("b.failure_type")).otherwise(lit("parse")).as("failure_type"),
        when(ok, col("b.errors")).otherwise(array(lit("lander: record on the bad topic is not a Spoor bad row"))).as("errors"),
        when(ok, col("b.payload")).otherwise(base64(col("value"))).as("payload"),
        when(ok, col("b.payload_encoding")).otherwise(lit("base64")).as("payload_encoding"),
        arrival.as("collector_tstamp"),
        when(ok, col("b.source")).otherwise(lit("lander")).as("source"),
        col("b.app_id").as("app_id"),
        col("b.event_id").as("event_id"),
        // What the collector kept of a payload over 64 KiB: the beginning, flagged, with the whole one's size and hash.
        when(ok, coalesce(col("b.payload_truncated"), lit(false))).otherwise(lit(false)).as("payload_truncated"),
        when(ok, col("b.payload_bytes")).otherwise(length(col("value")).cast(DataTypes.LongType)).as("payload_bytes"),
        when(ok, col("b.payload_sha256")).otherwise(lit(null).cast(DataTypes.StringType)).as("payload_sha256"),
        to_date(arrival).as("arrival_date"),
        col("topic").as("kafka_topic"),
        col("partition").as("kafka_partition"),
        col("offset").as("kafka_offset"),
        current_timestamp().as("landed_at"));
  }
}
