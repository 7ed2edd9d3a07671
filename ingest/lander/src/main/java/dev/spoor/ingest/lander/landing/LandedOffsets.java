package dev.spoor.ingest.lander.landing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.delta.tables.DeltaTable;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Per Kafka partition, the highest offset of one topic that one lake table has landed, recorded in
 * that table's own Delta commits (the commit's {@code userMetadata}) in the same atomic commit as the
 * rows. The lake, not the streaming checkpoint, is therefore the record of what has landed: a
 * micro-batch re-run after a crash between the Delta commit and the checkpoint commit, or a lander
 * started on a lost or reset checkpoint from {@code earliest}, skips every record at or below these
 * offsets, so nothing lands twice, in {@code events} or in {@code bad_events}.
 *
 * <p>Immutable; each commit records the cumulative map (this batch's maxima merged into the previous
 * map), so the newest commit that names the topic is all a reader needs.
 */
public final class LandedOffsets {
  static final String KEY = "spoor.lander";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How many commits back to look before reading the whole history. */
  private static final int RECENT = 200;

  private final String topic;
  private final Map<Integer, Long> offsets;

  LandedOffsets(String topic, Map<Integer, Long> offsets) {
    this.topic = topic;
    this.offsets = Map.copyOf(offsets);
  }

  public Map<Integer, Long> offsets() {
    return offsets;
  }

  /** What {@code table} has recorded for {@code topic} (nothing, for a new table or topic). */
  public static LandedOffsets read(SparkSession spark, String table, String topic) {
    if (!DeltaTable.isDeltaTable(spark, table)) {
      return new LandedOffsets(topic, Map.of());
    }
    DeltaTable delta = DeltaTable.forPath(spark, table);
    Optional<LandedOffsets> recent = newest(delta.history(RECENT), topic);
    return recent.or(() -> newest(delta.history(), topic)).orElse(new LandedOffsets(topic, Map.of()));
  }

  private static Optional<LandedOffsets> newest(Dataset<Row> history, String topic) {
    for (Row r : history.select("version", "userMetadata").where(col("userMetadata").isNotNull())
        .orderBy(col("version").desc()).collectAsList()) {
      Optional<LandedOffsets> parsed = parse(r.getString(1), topic);
      if (parsed.isPresent()) {
        return parsed;
      }
    }
    return Optional.empty();
  }

  static Optional<LandedOffsets> parse(String userMetadata, String topic) {
    try {
      JsonNode node = JSON.readTree(userMetadata).path(KEY);
      if (!node.path("topic").asText("").equals(topic)) {
        return Optional.empty();
      }
      Map<Integer, Long> offsets = new TreeMap<>();
      node.path("offsets").fields().forEachRemaining(e -> offsets.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
      return Optional.of(new LandedOffsets(topic, offsets));
    } catch (JsonProcessingException | RuntimeException e) {
      return Optional.empty(); // someone else's metadata
    }
  }

  /** True for records (Spark's Kafka columns {@code partition}, {@code offset}) not landed yet. */
  public Column notLanded() {
    Column landed = lit(false);
    for (Map.Entry<Integer, Long> e : offsets.entrySet()) {
      landed = when(col("partition").equalTo(e.getKey()), col("offset").leq(e.getValue())).otherwise(landed);
    }
    return org.apache.spark.sql.functions.not(landed);
  }

  /**
   * Where a stream on a new checkpoint starts reading: after the landed offset in each of the topic's
   * {@code partitions} that has one, at {@code fallback} ({@code earliest} or {@code latest}) in the
   * others; {@code fallback} itself when nothing has landed (Spark's Kafka {@code startingOffsets}).
   */
  public String startingOffsets(int partitions, String fallback) {
    if (offsets.isEmpty()) {
      return fallback;
    }
    ObjectNode root = JSON.createObjectNode();
    ObjectNode byPartition = root.putObject(topic);
    long otherwise = fallback.equals("latest") ? -1 : -2; // Spark's codes for latest and earliest
    for (int p = 0; p < partitions; p++) {
      Long landed = offsets.get(p);
      byPartition.put(Integer.toString(p), landed == null ? otherwise : landed + 1);
    }
    return root.toString();
  }

  /** These offsets with {@code highest} (partition → offset) merged in. */
  public LandedOffsets plus(Map<Integer, Long> highest) {
    Map<Integer, Long> merged = new TreeMap<>(offsets);
    highest.forEach((partition, offset) -> merged.merge(partition, offset, Math::max));
    return new LandedOffsets(topic, merged);
  }

  /** The commit metadata that records these offsets. */
  public String metadata() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode lander = root.putObject(KEY);
    lander.put("topic", topic);
    ObjectNode byPartition = lander.putObject("offsets");
    new TreeMap<>(offsets).forEach((p, o) -> byPartition.put(Integer.toString(p), o));
    return root.toString();
  }

  @Override
  public String toString() {
    return topic + new TreeMap<>(offsets);
  }
}
