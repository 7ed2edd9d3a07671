package dev.spoor.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spoor.stack.process.ProcessState;
import dev.spoor.stack.testing.SpoorCommand;
import dev.spoor.stack.testing.UsesLocalStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The life cycle of real services: idempotent {@code up}, a taken port, a killed service, and
 * {@code down} leaving nothing behind, through the API and through {@code bin/spoor} itself.
 */
@UsesLocalStack("kafka")
class LocalStackLifecycleIT {
  private static final Duration CLI_TIMEOUT = Duration.ofMinutes(3);

  private static ServiceStatus row(LocalStack stack, String service) {
    return stack.status().stream().filter(s -> s.service().equals(service)).findFirst().orElseThrow();
  }

  @Test
  void upOfAHealthyServiceLeavesItAloneAndSaysSo(LocalStack stack) {
    long pid = row(stack, "kafka").pid().orElseThrow();
    List<String> messages = new ArrayList<>();

    stack.up(List.of("kafka"), messages::add);

    assertThat(messages).containsExactly("kafka: already running (pid " + pid + ")");
    assertThat(row(stack, "kafka").pid()).contains(pid);
  }

  @Test
  void upWithATakenPortNamesThePortAndTheProcessHoldingIt(LocalStack stack) throws IOException {
    int port = stack.config().spark().masterPort();
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));

      assertThatThrownBy(() -> stack.up(List.of("spark-master"), line -> { }))
          .isInstanceOf(StackException.class)
          .hasMessageContaining("port " + port + " (master) on 127.0.0.1 is in use by pid "
              + ProcessHandle.current().pid());
    }
    assertThat(row(stack, "spark-master").state()).isEqualTo(ProcessState.STOPPED);
  }

  @Test
  void statusSaysAKilledServiceDiedAndUpBringsItBack(LocalStack stack) throws Exception {
    ProcessHandle kafka = ProcessHandle.of(row(stack, "kafka").pid().orElseThrow()).orElseThrow();

    kafka.destroyForcibly();
    kafka.onExit().get(30, TimeUnit.SECONDS);

    assertThat(row(stack, "kafka").stateLabel()).isEqualTo("died");
    SpoorCommand.Result cli = SpoorCommand.run(CLI_TIMEOUT, "status");
    assertThat(cli.exitCode()).as(cli.output()).isEqualTo(3);
    assertThat(cli.output()).containsPattern("(?m)^kafka +died +- +29092 ");

    stack.up(List.of("kafka"), line -> { });
    assertThat(row(stack, "kafka").stateLabel()).isEqualTo("healthy");
  }

  @Test
  void cliStatusShowsARunningServiceWithItsPidAndPort(LocalStack stack) {
    long pid = row(stack, "kafka").pid().orElseThrow();

    SpoorCommand.Result cli = SpoorCommand.run(CLI_TIMEOUT, "status");

    assertThat(cli.output()).containsPattern("(?m)^SERVICE +STATE +PID +PORT +UPTIME +DATA +LOG");
    assertThat(cli.output()).containsPattern("(?m)^kafka +healthy +" + pid + " +29092 ");
  }

  @Test
  void cliDownStopsEveryServiceAndLeavesNoProcessOfOursBehind(LocalStack stack) throws IOException {
    stack.up(List.of("kafka", "spark"), line -> { });
    assertThat(processesOf(stack)).isNotEmpty();

    SpoorCommand.Result cli = SpoorCommand.run(CLI_TIMEOUT, "down");

    assertThat(cli.exitCode()).as(cli.output()).isZero();
    assertThat(cli.output()).contains("kafka: stopped", "spark-master: stopped", "spark-worker: stopped");
    assertThat(processesOf(stack)).isEmpty();
    assertThat(stack.status()).allSatisfy(s -> assertThat(s.state()).isEqualTo(ProcessState.STOPPED));
    stack.up(List.of("kafka"), line -> { }); // leave the JVM's stack as the annotation promised
  }

  /** Live processes whose command line mentions the test stack's var directory (all of ours do). */
  private static List<String> processesOf(LocalStack stack) throws IOException {
    String varDir = stack.config().varDir().toString();
    List<String> found = new ArrayList<>();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
              .replace('\0', ' ');
          if (cmdline.contains(varDir) && !cmdline.contains("surefire") && !cmdline.contains("failsafe")) {
            found.add(proc.getFileName() + ": " + cmdline.substring(0, Math.min(120, cmdline.length())));
          }
        } catch (IOException e) {
          // the process ended while we looked
        }
      }
    }
    return found;
  }
}
