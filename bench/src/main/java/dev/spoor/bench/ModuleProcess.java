package dev.spoor.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spoor main as it is deployed: in a JVM of its own, on its module's classpath (e.g. the speed
 * layer's {@code speed-realtime/target}: Spark 4.1), configured by system properties on top of
 * {@code conf/spoor.conf}; its output goes to a log file. The benchmarked process never shares a
 * JVM (heap, GC, JIT) with the load generator.
 */
public final class ModuleProcess implements AutoCloseable {
  private final Process process;

  private ModuleProcess(Process process) {
    this.process = process;
  }

  /** Whether a started process is ready (reads its log, or asks it). */
  public interface Readiness {
    boolean ready(Path log) throws IOException;
  }

  /** Starts {@code main} of {@code module} and waits (up to three minutes) until it is {@code ready}. */
  public static ModuleProcess start(Path home, String module, String main, Readiness ready, Map<String, Object> settings,
      Path log) throws IOException, InterruptedException {
    Path target = home.resolve(module).resolve("target");
    Path jar;
    try (var jars = Files.list(target)) {
      jar = jars.filter(p -> p.getFileName().toString().matches("spoor-.*\\.jar")
              && !p.getFileName().toString().endsWith("-tests.jar")).findFirst()
          .orElseThrow(() -> new IOException(target + " has no jar; run: mvn -B -DskipTests package"));
    }
    String classpath = jar + java.io.File.pathSeparator + Files.readString(target.resolve("classpath.txt")).trim();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx3g");
    // The same module openings and JVM flags as this JVM (bin/spoor's).
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-Djdk.reflect")
            || a.startsWith("-Dio.netty") || a.startsWith("-Dlog4j2.configurationFile"))
        .forEach(command::add);
    command.add("-Dspoor.home=" + home);
    settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.addAll(List.of("-cp", classpath, main));
    Files.createDirectories(log.getParent());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ModuleProcess started = new ModuleProcess(process);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!ready.ready(log)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        started.close();
        throw new IOException(main + " did not start (" + (process.isAlive() ? "3 minutes" : "exit " + process.exitValue())
            + "); see " + log);
      }
      Thread.sleep(200); // polling interval of a condition wait with a deadline
    }
    return started;
  }

  /** Ready when its log contains {@code text}. */
  public static Readiness logSays(String text) {
    return log -> Files.readString(log).contains(text);
  }

  /** Ready when {@code url} answers 200. */
  public static Readiness answers(String url) {
    return log -> {
      try {
        var connection = (java.net.HttpURLConnection) java.net.URI.create(url).toURL().openConnection();
        connection.setConnectTimeout(1000);
        connection.setReadTimeout(1000);
        return connection.getResponseCode() == 200;
      } catch (IOException notYet) {
        return false;
      }
    };
  }

  /** Stops it as Ctrl-C does (its shutdown hook runs), then for good after 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** The Spark version on a module's classpath. */
  public static String sparkVersion(Path home, String module) throws IOException {
    var m = java.util.regex.Pattern.compile("spark-sql_[0-9.]+-([0-9][^/:]*)\\.jar")
        .matcher(Files.readString(home.resolve(module).resolve("target/classpath.txt")));
    return m.find() ? m.group(1) : "?";
  }
}
