package dev.spoor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.stack.testing.SpoorCommand;
import dev.spoor.stack.testing.UsesLocalStack;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/spoor demo} end to end on the test stack: real Kafka, HBase, Trino, the collector as a
 * service, the lander as its own JVM. It lives here because this is the module built after all the
 * others the demo runs.
 */
@UsesLocalStack({"kafka", "hbase", "trino"})
class DemoIT {
  @Test
  void theDemoSendsTrafficLandsItAndQueriesItThroughTrino() {
    SpoorCommand.Result demo = SpoorCommand.run(Duration.ofMinutes(10), "demo", "--users", "40");

    assertThat(demo.exitCode()).as(demo.output()).isZero();
    assertThat(demo.output())
        .contains("collector: healthy")
        .containsPattern("sent \\d+ events in \\d+ requests \\(\\d+ redelivered, \\d+ days late, \\d+ invalid\\)")
        .contains("landed: caught up with Kafka")
        .contains("bad_events where failure_type = 'schema'")
        .contains("bad_events where failure_type = 'parse'")
        .contains("every accepted event of this run is in the lake exactly once");
    SpoorCommand.Result down = SpoorCommand.run(Duration.ofMinutes(2), "down", "collector");
    assertThat(down.output()).contains("collector: stopped");
  }
}
