package dev.spoor.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.stack.testing.SpoorCommand;
import dev.spoor.stack.testing.UsesLocalStack;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/spoor demo} end to end on the test stack (real Kafka, HBase, Trino, the collector as a
 * service, every job its own JVM): a small shop through both tracker protocols, the hourly and daily
 * pipelines, publish, the speed layer on a live tail, and {@code verify} with exact equality against
 * the generator's truth, with the lander and the speed layer each killed with SIGKILL mid-run and
 * restarted from their checkpoints.
 */
@UsesLocalStack({"kafka", "hbase", "trino"})
class DemoIT {
  @Test
  void theDemoVerifiesExactlyAfterTheLanderAndTheSpeedLayerAreKilledMidRun() {
    SpoorCommand.Result demo = SpoorCommand.run(Map.of(), Duration.ofMinutes(15), "demo", "--users", "40", "--days", "8",
        "--tail", "16", "--chaos", "--seed", "20261122");

    assertThat(demo.exitCode()).as(demo.output()).isZero();
    assertThat(demo.output())
        .contains("collector: healthy")
        .contains("chaos: the lander landed its first micro-batch; kill -9")
        .contains("chaos: 8 carts decided; kill -9 the speed layer")
        .containsPattern("\\[6/6\\] publish: succeeded")
        .contains("verify: PASS, every output equals the truth");
    for (String check : new String[] {"events_clean: each accepted event once", "bad_events: rejections by reason",
        "sessions: one per visit", "funnel_progress", "user_features", "user_scores", "user_segments",
        "state store: published score and segments", "notifications: vip_cart for the live tail"}) {
      assertThat(demo.output().lines().filter(l -> l.contains(check)).findFirst()).as(check).hasValueSatisfying(
          line -> assertThat(line).contains("PASS"));
    }
    SpoorCommand.Result verify = SpoorCommand.run(Duration.ofMinutes(5), "verify");
    assertThat(verify.exitCode()).as("verify again, later: " + verify.output()).isZero();
  }
}
