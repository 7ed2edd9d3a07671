package dev.spoor.ingest.lander;

import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.EventJson;
import dev.spoor.ingest.model.event.FailureType;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Events as the collector would publish them, and Kafka-source-shaped datasets of them. */
public final class TestEvents {
  public static final StructType KAFKA = new StructType()
      .add("key", DataTypes.BinaryType)
      .add("value", DataTypes.BinaryType)
      .add("topic", DataTypes.StringType)
      .add("partition", DataTypes.IntegerType)
      .add("offset", DataTypes.LongType)
      .add("timestamp", DataTypes.TimestampType)
      .add("timestampType", DataTypes.IntegerType);

  private TestEvents() {}

  /** An event that happened at {@code derived} and reached the collector at {@code collector}. */
  public static Event event(String id, String user, Instant derived, Instant collector, String fingerprint) {
    return cart(id, user, derived, collector, fingerprint, "{\"sku\":\"a\",\"price\":1.5,\"quantity\":1}");
  }

  /** An add_to_cart event with the given properties (JSON text, as the collector keeps them). */
  public static Event cart(String id, String user, Instant derived, Instant collector, String fingerprint,
      String properties) {
    return new Event(id, "shop", "web", "add_to_cart", "iglu:com.acme/add_to_cart/jsonschema/1-0-0", user, null,
        "s-" + user, derived, derived, null, collector, derived, null, null, null, null, null, null, null, null,
        properties, "[]", fingerprint, derived.atOffset(ZoneOffset.UTC).toLocalDate(), "test", "test", List.of());
  }

  public static Event event(Instant derived, Instant collector) {
    return event(UUID.randomUUID().toString(), "u-1", derived, collector, UUID.randomUUID().toString().replace("-", ""));
  }

  public static BadRow badRow(String reason, Instant collector) {
    return BadRow.ofText(FailureType.SCHEMA, List.of(reason), "{\"x\":1}", collector, "test", "shop", null);
  }

  /** The typed properties of the shipped schemas, as the lander reads them. */
  public static final org.apache.spark.sql.types.StructType PROPERTIES =
      dev.spoor.lake.PropertiesSchema.fromSchemas(java.nio.file.Path.of("..", "..", "conf", "schemas"));

  private static final java.util.concurrent.atomic.AtomicLong NEXT_OFFSET = new java.util.concurrent.atomic.AtomicLong();

  /** The values as the next records of partition 0 of the topic (offsets go on from batch to batch). */
  public static Dataset<Row> kafka(SparkSession spark, String topic, List<byte[]> values) {
    return kafka(spark, topic, NEXT_OFFSET.getAndAdd(values.size()), values);
  }

  /** The values as records of partition 0 from {@code firstOffset} on (a redelivery of a batch). */
  public static Dataset<Row> kafka(SparkSession spark, String topic, long firstOffset, List<byte[]> values) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      rows.add(RowFactory.create(null, values.get(i), topic, 0, firstOffset + i,
          Timestamp.from(Instant.parse("2026-11-20T12:00:00Z")), 0));
    }
    return spark.createDataFrame(rows, KAFKA);
  }

  public static List<byte[]> encode(List<Event> events) {
    return events.stream().map(EventJson::encode).toList();
  }
}
