package dev.spoor.bench.speed;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The speed layer as it is deployed: {@code SpeedMain} in a JVM of its own, on the speed layer's
 * classpath ({@code speed-realtime/target}: Spark 4.1), configured by system properties on top of
 * {@code conf/spoor.conf}; its output goes to a log file.
 */
final class SpeedProcess implements AutoCloseable {
  private static final String READY = "speed layer reading";
  private final Process process;

  private SpeedProcess(Process process) {
    this.process = process;
  }

  /** Starts it and waits (up to three minutes) until its query runs. */
  static SpeedProcess start(Path home, Map<String, Object> settings, Path log) throws IOException, InterruptedException {
    Path target = home.resolve("speed-realtime/target");
    Path jar;
    try (var jars = Files.list(target)) {
      jar = jars.filter(p -> p.getFileName().toString().matches("spoor-speed-realtime-.*\\.jar")).findFirst()
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
    command.addAll(List.of("-cp", classpath, "dev.spoor.speed.SpeedMain"));
    Files.createDirectories(log.getParent());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    SpeedProcess speed = new SpeedProcess(process);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!Files.readString(log).contains(READY)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        speed.close();
        throw new IOException("the speed layer did not start (" + (process.isAlive() ? "3 minutes" : "exit " + process.exitValue())
            + "); see " + log);
      }
      Thread.sleep(200); // polling interval of a condition wait with a deadline
    }
    return speed;
  }

  /** Stops it as Ctrl-C does (its shutdown hook stops the query), then for good after 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** The Spark version on the speed layer's classpath. */
  static String sparkVersion(Path home) throws IOException {
    var m = java.util.regex.Pattern.compile("spark-sql_[0-9.]+-([0-9][^/:]*)\\.jar")
        .matcher(Files.readString(home.resolve("speed-realtime/target/classpath.txt")));
    return m.find() ? m.group(1) : "?";
  }
}
