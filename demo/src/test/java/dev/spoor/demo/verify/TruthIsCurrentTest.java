package dev.spoor.demo.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.batch.config.BatchConfig;
import dev.spoor.demo.shop.DemoTruth;
import dev.spoor.stack.testing.TestStackConfig;
import dev.spoor.testing.spark.SparkExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once a later hourly run lands the demo's live tail, verify says in one line that the truth no
 * longer describes the batch (instead of listing the tail's carts as differences); before that, the
 * check passes. Only this run's users count (the prefix), as other runs share the lake in tests.
 */
@ExtendWith(SparkExtension.class)
class TruthIsCurrentTest {
  @TempDir
  Path lake;

  private static DemoTruth truth(List<DemoTruth.TailEvent> tail) {
    return new DemoTruth("demo-ab12-", Instant.parse("2026-11-21T10:00:00Z"), Instant.parse("2026-11-21T10:05:00Z"),
        LocalDate.of(2026, 11, 21), List.of(), List.of("e1", "e2"), 2, 2, 0, 0, 0, tail);
  }

  private void eventsClean(SparkSession spark, List<String> rows) {
    spark.read().json(spark.createDataset(rows, Encoders.STRING())).write().format("delta").mode("overwrite")
        .save(lake.resolve("events_clean").toString());
  }

  @Test
  void theLiveTailInEventsCleanIsOneFailedCheck(SparkSession spark) {
    DemoTruth truth = truth(List.of(new DemoTruth.TailEvent("demo-ab12-u1", "t1", 120.0),
        new DemoTruth.TailEvent("demo-ab12-u2", "t2", 80.0)));
    Verifier verifier = new Verifier(spark, lake.toString(), BatchConfig.from(TestStackConfig.config(),
        TestStackConfig.home()));

    eventsClean(spark, List.of("{\"event_id\":\"e1\",\"user_id\":\"demo-ab12-u1\"}",
        "{\"event_id\":\"e2\",\"user_id\":\"demo-ab12-u2\"}",
        "{\"event_id\":\"t1\",\"user_id\":\"demo-zz99-u1\"}")); // another run's user with the same id: not ours
    assertThat(verifier.truthIsCurrent(truth).passed()).isTrue();

    eventsClean(spark, List.of("{\"event_id\":\"e1\",\"user_id\":\"demo-ab12-u1\"}",
        "{\"event_id\":\"t1\",\"user_id\":\"demo-ab12-u1\"}", "{\"event_id\":\"t1\",\"user_id\":\"demo-ab12-u1\"}",
        "{\"event_id\":\"t2\",\"user_id\":\"demo-ab12-u2\"}"));
    Check stale = verifier.truthIsCurrent(truth);
    assertThat(stale.passed()).isFalse();
    assertThat(stale.differences()).singleElement().asString()
        .startsWith("2 of 2 live-tail events are in events_clean").contains("run bin/spoor demo again");
  }
}
