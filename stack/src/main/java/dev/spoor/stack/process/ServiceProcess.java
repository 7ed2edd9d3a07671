package dev.spoor.stack.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One service's process on this machine, tracked by a pid file in its service directory.
 *
 * <p>A process is ours only if the pid in the file is alive and its command line contains the
 * service's marker (its main class), so a recycled pid is never mistaken for a running service and
 * never killed. Processes are started in a session of their own ({@code setsid}) so that a Ctrl-C in
 * the terminal that ran {@code bin/spoor up} does not take them down, and they outlive the JVM that
 * started them.
 */
public final class ServiceProcess {
  private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(5);

  private final String name;
  private final Path dir;
  private final String marker;

  public ServiceProcess(String name, Path dir, String marker) {
    this.name = name;
    this.dir = dir;
    this.marker = marker;
  }

  public String name() {
    return name;
  }

  public Path dir() {
    return dir;
  }

  public Path pidFile() {
    return dir.resolve(name + ".pid");
  }

  public Path logFile() {
    return dir.resolve(name + ".log");
  }

  /**
   * The running process of this service, if any. A stale pid file is left in place so that
   * {@link #state()} can report that the service died; {@link #stop} and {@link #start} clear it.
   */
  public Optional<ProcessHandle> running() {
    Path pidFile = pidFile();
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      deleteQuietly(pidFile);
      return Optional.empty();
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(h -> CommandLines.of(h.pid()).map(c -> c.contains(marker)).orElse(false));
    return handle;
  }

  /** Running, stopped by us, or died: a pid file that names no live process of ours. */
  public ProcessState state() {
    if (running().isPresent()) {
      return ProcessState.RUNNING;
    }
    return Files.isRegularFile(pidFile()) ? ProcessState.DIED : ProcessState.STOPPED;
  }

  /** Starts the plan's command detached from this JVM, appending its output to the log file. */
  public ProcessHandle start(LaunchPlan plan) {
    try {
      Files.createDirectories(dir);
      List<String> command = new ArrayList<>();
      command.add("setsid");
      command.addAll(plan.command());
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(plan.workingDir().toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
      builder.environment().putAll(plan.environment());
      Files.writeString(logFile(), "---- " + Instant.now() + " starting " + name + "\n",
          StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      Process process = builder.start();
      awaitExec(process);
      Path tmp = dir.resolve(name + ".pid.tmp");
      Files.writeString(tmp, Long.toString(process.pid()) + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, pidFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return process.toHandle();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits until setsid has exec'd the plan's command (or the process ended), so that whoever asks
   * for {@link #state()} next sees the service's own command line, never setsid's or the empty one
   * a process has in the middle of an exec.
   */
  private static void awaitExec(Process process) {
    long deadline = System.nanoTime() + EXEC_TIMEOUT.toNanos();
    while (process.isAlive() && System.nanoTime() < deadline) {
      Optional<String> commandLine = CommandLines.of(process.pid());
      if (commandLine.isPresent() && !commandLine.get().startsWith("setsid ")) {
        return;
      }
      LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
    }
  }

  /**
   * Stops the process: SIGTERM, then SIGKILL after {@code grace}. Children (for example the executors
   * of a Spark worker) are stopped with it. Returns true if something was running.
   */
  public boolean stop(Duration grace) {
    Optional<ProcessHandle> handle = running();
    if (handle.isEmpty()) {
      deleteQuietly(pidFile());
      return false;
    }
    ProcessHandle process = handle.get();
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    if (!awaitExit(process, grace)) {
      process.destroyForcibly();
      awaitExit(process, Duration.ofSeconds(10));
    }
    for (ProcessHandle child : children) {
      if (child.isAlive()) {
        child.destroyForcibly();
        awaitExit(child, Duration.ofSeconds(5));
      }
    }
    deleteQuietly(pidFile());
    return true;
  }

  private static boolean awaitExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return !process.isAlive();
    } catch (java.util.concurrent.ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a pid file we cannot delete is reported the next time it is read
    }
  }
}
