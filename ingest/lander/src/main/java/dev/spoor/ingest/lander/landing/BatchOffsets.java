package dev.spoor.ingest.lander.landing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.execution.streaming.OffsetSeq;
import org.apache.spark.sql.execution.streaming.OffsetSeqLog;
import scala.Option;

/**
 * The Kafka offsets a micro-batch covers, as Spark planned them: the batch's entry in the checkpoint's
 * offset log, written before the batch runs and read back unchanged when Spark re-runs it. Unlike the
 * rows that reach the sink, it counts records a stateful operator dropped (duplicates).
 */
final class BatchOffsets {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BatchOffsets() {}

  /** Per partition of {@code topic}, the last offset batch {@code batchId} covers (none when it covers none). */
  static Map<Integer, Long> lastOffsets(SparkSession session, String checkpoint, long batchId, String topic) {
    Option<OffsetSeq> entry = new OffsetSeqLog(session, checkpoint + "/offsets").get(batchId);
    if (entry.isEmpty()) {
      throw new IllegalStateException("no entry for batch " + batchId + " in the offset log of " + checkpoint);
    }
    Map<Integer, Long> last = new TreeMap<>();
    scala.collection.Iterator<Option<Offset>> sources = entry.get().offsets().iterator();
    while (sources.hasNext()) {
      Option<Offset> source = sources.next();
      if (source.isDefined()) {
        last.putAll(parse(source.get().json(), topic));
      }
    }
    return last;
  }

  /** Kafka's source offset JSON ({@code {"topic":{"0":12,"1":34}}}, next offsets to read) as last offsets read. */
  static Map<Integer, Long> parse(String json, String topic) {
    Map<Integer, Long> last = new TreeMap<>();
    try {
      JsonNode partitions = JSON.readTree(json).path(topic);
      partitions.fields().forEachRemaining(e -> {
        long next = e.getValue().asLong();
        if (next > 0) {
          last.put(Integer.parseInt(e.getKey()), next - 1);
        }
      });
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable Kafka offsets in the offset log: " + json, e);
    }
    return last;
  }
}
