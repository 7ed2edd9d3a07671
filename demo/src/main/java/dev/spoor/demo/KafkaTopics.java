package dev.spoor.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.demo.verify.TopicRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What the demo reads from Kafka directly: a topic's end offsets, and its records after given offsets. */
final class KafkaTopics {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final dev.spoor.kafka.KafkaConnection kafka;

  KafkaTopics(dev.spoor.kafka.KafkaConnection kafka) {
    this.kafka = kafka;
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    return new KafkaConsumer<>(kafka.properties(Map.of()), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Partition → end offset (0 for a topic that does not exist yet). */
  Map<Integer, Long> endOffsets(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      Map<Integer, Long> offsets = new HashMap<>();
      consumer.endOffsets(partitions).forEach((tp, offset) -> offsets.put(tp.partition(), offset));
      return offsets;
    }
  }

  /** The offsets as Spark's Kafka source takes them for startingOffsets. */
  static String sparkOffsets(String topic, Map<Integer, Long> offsets) {
    Map<String, Map<String, Long>> json = Map.of(topic, new HashMap<>());
    offsets.forEach((p, o) -> json.get(topic).put(Integer.toString(p), o));
    try {
      return JSON.writeValueAsString(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every record of the topic after the given offsets (a partition not given: from its start). */
  List<TopicRecord> recordsAfter(String topic, Map<Integer, Long> from) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      for (TopicPartition tp : partitions) {
        consumer.seek(tp, from.getOrDefault(tp.partition(), 0L));
      }
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<TopicRecord> records = new ArrayList<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          records.add(new TopicRecord(topic, r.partition(), r.offset(), r.key() == null ? null : new String(r.key(), UTF_8),
              new String(r.value(), UTF_8)));
        }
      }
      return records;
    }
  }

  /**
   * Every record of the topic after the given offsets as its top-level JSON fields (nested objects as
   * JSON text) plus the record key as {@code _key}.
   */
  List<Map<String, String>> jsonRecordsAfter(String topic, Map<Integer, Long> from) {
    List<Map<String, String>> records = new ArrayList<>();
    for (TopicRecord r : recordsAfter(topic, from)) {
      try {
        Map<String, String> fields = new HashMap<>();
        if (r.key() != null) {
          fields.put("_key", r.key());
        }
        JSON.readTree(r.value()).fields().forEachRemaining(f -> fields.put(f.getKey(),
            f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString()));
        records.add(fields);
      } catch (java.io.IOException e) {
        records.add(Map.of("unreadable", r.value()));
      }
    }
    return records;
  }
}
