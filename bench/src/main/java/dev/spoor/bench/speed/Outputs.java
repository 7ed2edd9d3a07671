package dev.spoor.bench.speed;

import dev.spoor.bench.LatencyRecorder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What one side (the speed layer or the peer) wrote for the events collected since a moment: per
 * output, the decisions as comparable rows ({@code rule:event id} for notifications, the event id for
 * routed, gated and decorated events), and the notifications' latency (the record's Kafka timestamp,
 * set when the producer sent it, minus the event's {@code collector_tstamp}).
 */
record Outputs(Set<String> notified, Set<String> routed, Set<String> gated, Set<String> decorated, double p50, double p99,
    long lastAt) {
  private static final Pattern EVENT_ID = Pattern.compile("\"event_id\":\"([^\"]+)\"");
  private static final Pattern RULE = Pattern.compile("\"rule\":\"([^\"]+)\"");
  private static final Pattern COLLECTED = Pattern.compile("\"collector_tstamp\":\"([^\"]+)\"");

  /** Every row of every output, labelled by output, for a row-by-row comparison. */
  Set<String> rows() {
    Set<String> rows = new TreeSet<>();
    notified.forEach(r -> rows.add("notify " + r));
    routed.forEach(r -> rows.add("route " + r));
    gated.forEach(r -> rows.add("gated " + r));
    decorated.forEach(r -> rows.add("decorate " + r));
    return rows;
  }

  double throughput(long events, long from) {
    return lastAt <= from ? 0 : events * 1000.0 / (lastAt - from);
  }

  /** Reads the four topics (notifications, routed, gated, decorated) for events collected at or after {@code from}. */
  static Outputs read(String bootstrap, List<String> topics, long from) {
    List<Set<String>> rows = new ArrayList<>();
    List<Long> latencies = new ArrayList<>();
    long last = 0;
    for (int t = 0; t < topics.size(); t++) {
      Set<String> seen = new TreeSet<>();
      for (ConsumerRecord<byte[], byte[]> r : records(bootstrap, topics.get(t), from)) {
        String value = new String(r.value(), StandardCharsets.UTF_8);
        Matcher collected = COLLECTED.matcher(value);
        Matcher event = EVENT_ID.matcher(value);
        if (!collected.find() || !event.find()) {
          continue;
        }
        long at = Instant.parse(collected.group(1)).toEpochMilli();
        if (at < from) {
          continue; // an event of an earlier step (or the warm-up), decided late
        }
        if (t == 0) {
          Matcher rule = RULE.matcher(value);
          seen.add((rule.find() ? rule.group(1) : "?") + ":" + event.group(1));
          latencies.add(r.timestamp() - at);
          last = Math.max(last, r.timestamp());
        } else {
          seen.add(event.group(1));
        }
      }
      rows.add(seen);
    }
    if (latencies.isEmpty()) {
      return new Outputs(rows.get(0), rows.get(1), rows.get(2), rows.get(3), 0, 0, 0);
    }
    LatencyRecorder recorded = new LatencyRecorder();
    latencies.forEach(ms -> recorded.record(ms * 1_000_000));
    return new Outputs(rows.get(0), rows.get(1), rows.get(2), rows.get(3), recorded.percentileMillis(0.50),
        recorded.percentileMillis(0.99), last);
  }

  /** The records of a topic written since {@code from} (by Kafka timestamp). */
  private static List<ConsumerRecord<byte[], byte[]>> records(String bootstrap, String topic, long from) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      var start = consumer.offsetsForTimes(partitions.stream().collect(Collectors.toMap(p -> p, p -> from)));
      for (TopicPartition p : partitions) {
        var o = start.get(p);
        consumer.seek(p, o == null ? end.get(p) : o.offset());
      }
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(500)).forEach(all::add);
      }
    }
    return all;
  }
}
