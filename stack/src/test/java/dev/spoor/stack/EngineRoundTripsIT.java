package dev.spoor.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spoor.config.TrinoRegistrar;
import dev.spoor.stack.config.StackConfig;
import dev.spoor.stack.service.HBaseLauncher;
import dev.spoor.stack.smoke.SmokeChecks;
import dev.spoor.stack.testing.UsesLocalStack;
import dev.spoor.testing.spark.SparkExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each engine of the stack that {@code bin/spoor up} starts, used over real client connections. */
@UsesLocalStack({"kafka", "hbase", "trino"})
@ExtendWith(SparkExtension.class)
class EngineRoundTripsIT {

  @Test
  void aKafkaTopicDeliversEveryProducedRecordInOrder(StackConfig config) throws Exception {
    String topic = "it.roundtrip." + UUID.randomUUID();
    String bootstrap = config.kafka().bootstrapServers();
    try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    List<String> sent = new ArrayList<>();
    try (var producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all"),
        new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 20; i++) {
        String value = "event-" + i + "-" + UUID.randomUUID();
        producer.send(new ProducerRecord<>(topic, "user-" + (i % 3), value)).get();
        sent.add(value);
      }
    }

    List<String> received = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
        "group.id", "it-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
        new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      Instant deadline = Instant.now().plusSeconds(60);
      while (received.size() < sent.size() && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          received.add(record.value());
        }
      }
    }

    assertThat(received).containsExactlyElementsOf(sent);
  }

  @Test
  void anHBaseRowReadsBackExactlyWhatWasPut(StackConfig config) throws Exception {
    TableName name = TableName.valueOf("it_roundtrip_" + UUID.randomUUID().toString().replace("-", ""));
    byte[] family = "f".getBytes(StandardCharsets.UTF_8);
    try (var connection = ConnectionFactory.createConnection(HBaseLauncher.clientConfiguration(config.hbase()));
         Admin admin = connection.getAdmin()) {
      admin.createTable(TableDescriptorBuilder.newBuilder(name)
          .setColumnFamily(ColumnFamilyDescriptorBuilder.of(family)).build());
      try (Table table = connection.getTable(name)) {
        table.put(new Put(bytes("user-42")).addColumn(family, bytes("score"), bytes("712"))
            .addColumn(family, bytes("segment"), bytes("loyal")));

        Result present = table.get(new Get(bytes("user-42")));
        Result absent = table.get(new Get(bytes("user-43")));

        assertThat(new String(present.getValue(family, bytes("score")), StandardCharsets.UTF_8)).isEqualTo("712");
        assertThat(new String(present.getValue(family, bytes("segment")), StandardCharsets.UTF_8)).isEqualTo("loyal");
        assertThat(absent.isEmpty()).isTrue();
      } finally {
        admin.disableTable(name);
        admin.deleteTable(name);
      }
    }
  }

  @Test
  void aDeltaTableWrittenBySparkReadsTheSameInTrino(SparkSession spark, StackConfig config) throws Exception {
    String table = "people_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String location = config.localLakeRoot().orElseThrow().resolve("it").resolve(table).toString();
    StructType schema = new StructType()
        .add("id", DataTypes.LongType)
        .add("name", DataTypes.StringType)
        .add("score", DataTypes.DoubleType)
        .add("day", DataTypes.DateType);
    List<Row> rows = List.of(
        RowFactory.create(1L, "ada", 712.5, Date.valueOf(LocalDate.of(2026, 11, 1))),
        RowFactory.create(2L, "grace", 640.0, Date.valueOf(LocalDate.of(2026, 11, 2))),
        RowFactory.create(3L, null, 300.0, Date.valueOf(LocalDate.of(2026, 11, 2))));
    Dataset<Row> written = spark.createDataFrame(rows, schema);
    written.write().format("delta").partitionBy("day").save(location);

    List<List<Object>> fromTrino = new ArrayList<>();
    TrinoRegistrar registrar = config.trino().registrar();
    String register = "CALL " + config.trino().catalog() + ".system.register_table(schema_name => 'it', table_name => '"
        + table + "', table_location => 'local://" + location + "')";
    try (Connection trino = DriverManager.getConnection(registrar.url(), registrar.jdbcProperties());
         Statement statement = trino.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS " + config.trino().catalog() + ".it");
      statement.execute(register);
    }
    Properties reader = new Properties();
    reader.setProperty("user", "spoor-it");
    try (Connection trino = DriverManager.getConnection(config.trino().jdbcUrl(), reader);
         Statement statement = trino.createStatement()) {
      try (ResultSet rs = statement.executeQuery("SELECT id, name, score, day FROM it." + table + " ORDER BY id")) {
        while (rs.next()) {
          fromTrino.add(java.util.Arrays.asList(rs.getLong(1), rs.getString(2), rs.getDouble(3), rs.getDate(4)));
        }
      }
    }

    List<List<Object>> fromSpark = spark.read().format("delta").load(location).orderBy("id")
        .collectAsList().stream()
        .map(r -> java.util.Arrays.<Object>asList(r.getLong(0), r.getString(1), r.getDouble(2), r.getDate(3)))
        .toList();
    assertThat(fromTrino).hasSize(3).containsExactlyElementsOf(fromSpark);
  }

  /**
   * Trino's users read the lake and change nothing: no DELETE, INSERT, DROP, nor registering a table;
   * the registrar's name is refused over plain HTTP and without its password over HTTPS.
   */
  @Test
  void trinoUsersReadTheLakeAndOnlyTheRegistrarChangesTheCatalog(SparkSession spark, StackConfig config) throws Exception {
    String table = "guarded_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String location = config.localLakeRoot().orElseThrow().resolve("it").resolve(table).toString();
    spark.range(5).selectExpr("id", "CAST(id * 10 AS INT) AS score").write().format("delta").save(location);
    String catalog = config.trino().catalog();
    String qualified = catalog + ".it." + table;
    TrinoRegistrar registrar = config.trino().registrar();
    try (Connection trino = DriverManager.getConnection(registrar.url(), registrar.jdbcProperties());
         Statement statement = trino.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS " + catalog + ".it");
      statement.execute("CALL " + catalog + ".system.register_table(schema_name => 'it', table_name => '" + table
          + "', table_location => 'local://" + location + "')");
    }

    Properties user = new Properties();
    user.setProperty("user", "spoor");
    try (Connection trino = DriverManager.getConnection(config.trino().jdbcUrl(), user);
         Statement statement = trino.createStatement()) {
      for (String write : List.of("DELETE FROM " + qualified + " WHERE id = 1",
          "INSERT INTO " + qualified + " VALUES (9, 90)",
          "DROP TABLE " + qualified,
          "CREATE TABLE " + catalog + ".it.made_" + table + " AS SELECT 1 AS x",
          "CALL " + catalog + ".system.register_table(schema_name => 'it', table_name => 'etc_" + table
              + "', table_location => 'local:///etc')",
          "CALL " + catalog + ".system.unregister_table(schema_name => 'it', table_name => '" + table + "')")) {
        assertThatThrownBy(() -> statement.execute(write)).as(write).hasMessageContaining("Access Denied");
      }
      try (ResultSet rs = statement.executeQuery("SELECT count(*), sum(score) FROM " + qualified)) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(5);
        assertThat(rs.getLong(2)).isEqualTo(100);
      }
    }

    Properties impostor = new Properties();
    impostor.setProperty("user", registrar.user());
    assertThatThrownBy(() -> {
      try (Connection trino = DriverManager.getConnection(config.trino().jdbcUrl(), impostor)) {
        trino.createStatement().execute("SELECT 1");
      }
    }).as("the registrar's name over plain HTTP").isInstanceOf(java.sql.SQLException.class);
    Properties wrongPassword = registrar.jdbcProperties();
    wrongPassword.setProperty("password", "not-the-registrars-password");
    assertThatThrownBy(() -> {
      try (Connection trino = DriverManager.getConnection(registrar.url(), wrongPassword)) {
        trino.createStatement().execute("SELECT 1");
      }
    }).as("a wrong password over HTTPS").isInstanceOf(java.sql.SQLException.class);
  }

  @Test
  void theSmokeVerbsChecksPassAgainstTheRunningStack(StackConfig config) {
    SmokeChecks checks = new SmokeChecks(config);

    assertThat(checks.kafka()).contains("produced and consumed");
    assertThat(checks.hbase()).contains("put and got row");
    assertThat(checks.trino()).startsWith("1 active node(s)");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
