package dev.spoor.batch;

import dev.spoor.lake.LakeTables;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/** Rows of the {@code events} table for tests: only the fields a test names are set. */
public final class EventRows {
  private final List<Row> rows = new ArrayList<>();
  private long offset;

  /** An event of {@code user} named {@code name} that happened at {@code derived} (arrived then too). */
  public EventRows add(String eventId, String user, String name, String derived, String pageUrl) {
    return add(Map.of("event_id", eventId, "user_id", user == null ? "" : user, "event_name", name,
        "derived_tstamp", derived, "page_url", pageUrl == null ? "" : pageUrl));
  }

  public EventRows add(Map<String, String> fields) {
    Map<String, Object> values = new HashMap<>();
    Instant derived = Instant.parse(fields.get("derived_tstamp"));
    Instant collector = fields.containsKey("collector_tstamp") ? Instant.parse(fields.get("collector_tstamp")) : derived;
    values.put("event_id", fields.get("event_id"));
    values.put("user_id", blankToNull(fields.get("user_id")));
    values.put("domain_userid", blankToNull(fields.get("domain_userid")));
    values.put("event_name", fields.get("event_name"));
    values.put("page_url", blankToNull(fields.get("page_url")));
    values.put("event_fingerprint", fields.getOrDefault("event_fingerprint", "fp-" + fields.get("event_id")));
    values.put("derived_tstamp", Timestamp.from(derived));
    values.put("collector_tstamp", Timestamp.from(collector));
    values.put("event_date", Date.valueOf(derived.atOffset(ZoneOffset.UTC).toLocalDate()));
    values.put("kafka_partition", 0);
    values.put("kafka_offset", offset++);
    values.put("properties", fields.getOrDefault("properties", "{}"));
    values.put("contexts", "[]");
    Object[] row = new Object[LakeTables.EVENTS_TABLE.size()];
    StructField[] schema = LakeTables.EVENTS_TABLE.fields();
    for (int i = 0; i < schema.length; i++) {
      row[i] = values.get(schema[i].name());
    }
    rows.add(RowFactory.create(row));
    return this;
  }

  public Dataset<Row> dataset(SparkSession spark) {
    return spark.createDataFrame(rows, LakeTables.EVENTS_TABLE);
  }

  /** The same rows in another order (arrival order must not matter). */
  public Dataset<Row> shuffled(SparkSession spark, long seed) {
    List<Row> copy = new ArrayList<>(rows);
    Collections.shuffle(copy, new Random(seed));
    return spark.createDataFrame(copy, LakeTables.EVENTS_TABLE);
  }

  private static String blankToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
