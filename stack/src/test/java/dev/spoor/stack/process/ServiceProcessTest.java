package dev.spoor.stack.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real OS processes (a {@code sleep}), so pid files, liveness and signals are exercised for real. */
class ServiceProcessTest {
  @TempDir
  Path dir;

  private ServiceProcess process;

  private ProcessHandle startSleep() {
    // A marker unique to this test run, so no other sleep on the machine can be mistaken for ours.
    String seconds = "3" + ProcessHandle.current().pid() % 1000 + "7";
    process = new ServiceProcess("sleeper", dir, "sleep " + seconds);
    return process.start(new LaunchPlan(List.of("sleep", seconds), Map.of(), dir));
  }

  @AfterEach
  void stopLeftovers() {
    if (process != null) {
      process.stop(Duration.ofSeconds(1));
    }
  }

  @Test
  void aStartedProcessIsRunningUnderThePidOfItsPidFile() throws Exception {
    ProcessHandle handle = startSleep();

    assertThat(process.state()).isEqualTo(ProcessState.RUNNING);
    assertThat(process.running()).hasValueSatisfying(h -> assertThat(h.pid()).isEqualTo(handle.pid()));
    assertThat(Files.readString(process.pidFile()).trim()).isEqualTo(Long.toString(handle.pid()));
  }

  @Test
  void aProcessIsRunningTheMomentStartReturnsEvenWhileItsLauncherExecs() {
    // start() runs the command through setsid, which then execs it; asked in between, state() once said
    // DIED on CI (not reproduced here in 2 000 tries under load). start() now returns after the exec.
    for (int i = 0; i < 100; i++) {
      startSleep();
      assertThat(process.state()).as("attempt %d", i).isEqualTo(ProcessState.RUNNING);
      process.stop(Duration.ofSeconds(1));
    }
  }

  @Test
  void aKilledProcessIsReportedAsDiedNotStopped() throws Exception {
    ProcessHandle handle = startSleep();

    handle.destroyForcibly();
    handle.onExit().get(10, TimeUnit.SECONDS);

    assertThat(process.state()).isEqualTo(ProcessState.DIED);
    assertThat(process.running()).isEmpty();
  }

  @Test
  void stopEndsTheProcessAndClearsThePidFile() throws Exception {
    ProcessHandle handle = startSleep();

    assertThat(process.stop(Duration.ofSeconds(5))).isTrue();

    assertThat(handle.isAlive()).isFalse();
    assertThat(process.state()).isEqualTo(ProcessState.STOPPED);
    assertThat(process.pidFile()).doesNotExist();
  }

  @Test
  void aPidFileNamingSomeoneElsesProcessIsNotOurs() throws Exception {
    process = new ServiceProcess("impostor", dir, "kafka.Kafka");
    Files.writeString(process.pidFile(), ProcessHandle.current().pid() + "\n");

    assertThat(process.running()).isEmpty();
    assertThat(process.state()).isEqualTo(ProcessState.DIED);
    assertThat(process.stop(Duration.ofSeconds(1))).isFalse();
    assertThat(ProcessHandle.current().isAlive()).isTrue();
  }

  @Test
  void outputGoesToTheLogFile() throws Exception {
    process = new ServiceProcess("echo", dir, "echo");
    ProcessHandle handle = process.start(new LaunchPlan(List.of("echo", "hello from the service"), Map.of(), dir));
    handle.onExit().get(10, TimeUnit.SECONDS);

    assertThat(Files.readString(process.logFile())).contains("starting echo").contains("hello from the service");
  }
}
