package dev.spoor.stack.smoke;

import dev.spoor.stack.StackException;
import dev.spoor.stack.config.StackConfig;
import dev.spoor.stack.service.HBaseLauncher;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Round trips through each engine of a running stack, over real client connections: a record through
 * a Kafka topic, a row through an HBase table, a query through Trino's JDBC driver. Each returns a
 * one-line result or throws a {@link StackException} saying what did not come back.
 */
public final class SmokeChecks {
  static final String TOPIC = "spoor.smoke";
  static final TableName TABLE = TableName.valueOf("spoor_smoke");
  private static final byte[] FAMILY = "f".getBytes(StandardCharsets.UTF_8);
  private static final byte[] QUALIFIER = "v".getBytes(StandardCharsets.UTF_8);

  private final StackConfig config;

  public SmokeChecks(StackConfig config) {
    this.config = config;
  }

  /** Produces a unique record and consumes it back from the beginning of the topic. */
  public String kafka() {
    String bootstrap = config.kafka().bootstrapServers();
    String value = "smoke-" + UUID.randomUUID();
    try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      try {
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      Map<String, Object> producerProps = Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          ProducerConfig.ACKS_CONFIG, "all",
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>(TOPIC, "smoke", value)).get();
      }
      Properties consumerProps = new Properties();
      consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "spoor-smoke-" + UUID.randomUUID());
      consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      try (var consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of(TOPIC));
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
          for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
            if (value.equals(record.value())) {
              return "produced and consumed " + value + " on " + TOPIC + " at offset " + record.offset();
            }
          }
        }
      }
      throw new StackException("Kafka: the record " + value + " produced to " + TOPIC
          + " was not consumed back within 30 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("Kafka smoke check interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new StackException("Kafka smoke check failed: " + e.getCause().getMessage(), e);
    }
  }

  /** Creates the smoke table if needed, puts a unique row and gets it back. */
  public String hbase() {
    String row = "smoke-" + UUID.randomUUID();
    byte[] value = Instant.now().toString().getBytes(StandardCharsets.UTF_8);
    try (var connection = ConnectionFactory.createConnection(HBaseLauncher.clientConfiguration(config.hbase()));
         Admin admin = connection.getAdmin()) {
      if (!admin.tableExists(TABLE)) {
        admin.createTable(TableDescriptorBuilder.newBuilder(TABLE)
            .setColumnFamily(ColumnFamilyDescriptorBuilder.of(FAMILY)).build());
      }
      try (Table table = connection.getTable(TABLE)) {
        table.put(new Put(row.getBytes(StandardCharsets.UTF_8)).addColumn(FAMILY, QUALIFIER, value));
        Result result = table.get(new Get(row.getBytes(StandardCharsets.UTF_8)));
        byte[] read = result.getValue(FAMILY, QUALIFIER);
        if (read == null || !java.util.Arrays.equals(read, value)) {
          throw new StackException("HBase: row " + row + " of " + TABLE + " did not read back what was put");
        }
      }
      return "put and got row " + row + " of table " + TABLE;
    } catch (java.io.IOException e) {
      throw new StackException("HBase smoke check failed: " + e.getMessage(), e);
    }
  }

  /** Asks Trino, over JDBC, which nodes are active and which schemas the lake catalog has. */
  public String trino() {
    Properties props = new Properties();
    props.setProperty("user", "spoor");
    try (Connection connection = DriverManager.getConnection(config.trino().jdbcUrl(), props);
         Statement statement = connection.createStatement()) {
      long nodes;
      try (ResultSet rs = statement.executeQuery(
          "SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'")) {
        rs.next();
        nodes = rs.getLong(1);
      }
      int schemas = 0;
      try (ResultSet rs = statement.executeQuery("SHOW SCHEMAS FROM " + config.trino().catalog())) {
        while (rs.next()) {
          schemas++;
        }
      }
      if (nodes < 1) {
        throw new StackException("Trino: no active node");
      }
      return nodes + " active node(s); catalog " + config.trino().catalog() + " lists " + schemas + " schema(s)";
    } catch (SQLException e) {
      throw new StackException("Trino smoke check failed: " + e.getMessage(), e);
    }
  }
}
