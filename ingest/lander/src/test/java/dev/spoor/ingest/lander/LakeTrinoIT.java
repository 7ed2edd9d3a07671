package dev.spoor.ingest.lander;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.ingest.lander.config.LanderConfig;
import dev.spoor.ingest.lander.lake.LakeMaintenance;
import dev.spoor.lake.LakeSettings;
import dev.spoor.lake.TrinoRegistry;
import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.EventJson;
import dev.spoor.stack.testing.TestStackConfig;
import dev.spoor.stack.testing.UsesLocalStack;
import dev.spoor.testing.spark.SparkExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Trino reads what the lander wrote (events, bad_events, the archive) and counts the same as Spark. */
@UsesLocalStack({"kafka", "trino"})
@ExtendWith(SparkExtension.class)
class LakeTrinoIT {
  @Test
  void trinoCountsWhatSparkCountsInEveryLakeTable(SparkSession spark) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    LanderConfig config = LanderIT.config(run, Map.of());
    KafkaTopics.create(config.bootstrapServers(), 2, config.goodTopic(), config.badTopic());
    Instant now = Instant.now();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      Instant happened = i % 4 == 0 ? now.minus(Duration.ofDays(5 + i % 3)) : now.minusSeconds(i);
      events.add(TestEvents.event(happened, now));
    }
    List<BadRow> bad = Collections.nCopies(7, TestEvents.badRow("schema: unknown", now));
    KafkaTopics.produce(config.bootstrapServers(), config.goodTopic(), events.stream().map(Event::partitionKey).toList(),
        TestEvents.encode(events));
    KafkaTopics.produce(config.bootstrapServers(), config.badTopic(), Collections.nCopies(7, null),
        bad.stream().map(EventJson::encode).toList());
    for (StreamingQuery query : LanderJob.start(spark, config, Trigger.AvailableNow())) {
      query.awaitTermination();
    }
    LanderJob.startViews(spark, config, Trigger.AvailableNow()).orElseThrow().awaitTermination();
    var trinoConfig = TestStackConfig.config();
    LakeSettings base = LakeSettings.from(trinoConfig);
    LakeSettings settings = base.forLake(config.lakeRoot(), "it_" + run);
    LakeMaintenance.Archived archived = new LakeMaintenance(spark, settings).archive(3, LocalDate.now(ZoneOffset.UTC));
    assertThat(archived.total()).isEqualTo(100);

    Map<String, String> tables = dev.spoor.ingest.lander.lake.LakeMain.tables(settings, config);
    assertThat(new TrinoRegistry(settings).register(tables))
        .containsExactly("events", "bad_events", "events_per_minute", "cart_value_per_hour", "events_archive");
    assertThat(new TrinoRegistry(settings).register(tables)).isEmpty();
    // Another lake claims the same names: registration points them at that lake, and back.
    Map<String, String> elsewhere = new LinkedHashMap<>(tables);
    elsewhere.put("bad_events", settings.table("events"));
    assertThat(new TrinoRegistry(settings).register(elsewhere)).containsExactly("bad_events");
    assertThat(new TrinoRegistry(settings).register(tables)).containsExactly("bad_events");

    Properties props = new Properties();
    props.setProperty("user", "spoor-it");
    try (Connection trino = DriverManager.getConnection(settings.trinoUrl(), props);
         Statement statement = trino.createStatement()) {
      for (Map.Entry<String, String> table : tables.entrySet()) {
        long sparkCount = spark.read().format("delta").load(table.getValue()).count();
        try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + settings.trinoCatalog() + "."
            + settings.trinoSchema() + "." + table.getKey())) {
          rs.next();
          assertThat(rs.getLong(1)).as(table.getKey()).isEqualTo(sparkCount);
        }
      }
      try (ResultSet rs = statement.executeQuery("SELECT count(DISTINCT event_id), min(event_date) FROM "
          + settings.trinoCatalog() + "." + settings.trinoSchema() + ".events")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(300);
        assertThat(rs.getDate(2).toLocalDate()).isAfterOrEqualTo(LocalDate.now(ZoneOffset.UTC).minusDays(3));
      }
    }
    assertThat(spark.read().format("delta").load(settings.table("events")).count()).isEqualTo(300);
    // The view counted every on-time event once (the 100 days-late ones are beyond its allowed lateness).
    long viewed = spark.read().format("delta").load(settings.table("events_per_minute"))
        .agg(org.apache.spark.sql.functions.sum("events")).first().getLong(0);
    assertThat(viewed).isEqualTo(300);
    try (Connection trino = DriverManager.getConnection(settings.trinoUrl(), props);
         Statement statement = trino.createStatement();
         ResultSet rs = statement.executeQuery("SELECT sum(events) FROM " + settings.trinoCatalog() + "."
             + settings.trinoSchema() + ".events_per_minute")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(viewed);
    }
  }
}
