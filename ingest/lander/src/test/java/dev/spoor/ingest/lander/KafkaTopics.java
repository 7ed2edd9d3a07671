package dev.spoor.ingest.lander;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Creates test topics and produces records to them, acknowledged before returning. */
public final class KafkaTopics {
  private KafkaTopics() {}

  public static void create(String bootstrap, int partitions, String... topics) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      List<NewTopic> newTopics = new ArrayList<>();
      for (String topic : topics) {
        newTopics.add(new NewTopic(topic, partitions, (short) 1));
      }
      admin.createTopics(newTopics).all().get();
    }
  }

  /** Produces (key, value) pairs in order and waits for every acknowledgement. */
  public static void produce(String bootstrap, String topic, List<String> keys, List<byte[]> values) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
        "acks", "all", "linger.ms", 10, "batch.size", 512 * 1024, "compression.type", "lz4"),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> acks = new ArrayList<>(values.size());
      for (int i = 0; i < values.size(); i++) {
        byte[] key = keys.get(i) == null ? null : keys.get(i).getBytes(StandardCharsets.UTF_8);
        acks.add(producer.send(new ProducerRecord<>(topic, key, values.get(i))));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    }
  }
}
