package dev.spoor.ingest.lander.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.ingest.lander.TestEvents;
import dev.spoor.ingest.lander.landing.KafkaDecoding;
import dev.spoor.lake.LakeTables;
import dev.spoor.testing.spark.SparkExtension;
import io.delta.tables.DeltaTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class LakeTablesTest {
  @Test
  void aBadEventsTableOfAnEarlierVersionGainsTheNewColumnsAndTakesNewRows(SparkSession spark, @TempDir Path lake) {
    List<String> added = List.of("payload_truncated", "payload_bytes", "payload_sha256");
    StructType earlier = new StructType(Arrays.stream(LakeTables.BAD_EVENTS_TABLE.fields())
        .filter(f -> !added.contains(f.name())).toArray(StructField[]::new));
    DeltaTable.create(spark).location(lake + "/bad_events").addColumns(earlier).partitionedBy("arrival_date").execute();

    LakeTables.createIfMissing(spark, lake.toString());
    LakeTables.createIfMissing(spark, lake.toString()); // idempotent

    assertThat(spark.read().format("delta").load(lake + "/bad_events").schema().fieldNames()).contains("payload_truncated",
        "payload_bytes", "payload_sha256");
    KafkaDecoding.badRows(TestEvents.kafka(spark, "bad", List.of("garbage".getBytes(StandardCharsets.UTF_8))))
        .write().format("delta").mode("append").save(lake + "/bad_events");
    assertThat(spark.read().format("delta").load(lake + "/bad_events").where("payload_bytes = 7").count()).isEqualTo(1);
  }
}
