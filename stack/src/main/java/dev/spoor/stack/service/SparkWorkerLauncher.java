package dev.spoor.stack.service;

import dev.spoor.stack.config.ClusterNode;
import dev.spoor.stack.config.SparkSettings;
import dev.spoor.stack.process.LaunchPlan;
import dev.spoor.stack.runtime.SparkHome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A worker of the local Spark standalone cluster; healthy once the master lists it alive. */
public final class SparkWorkerLauncher implements ServiceLauncher {
  static final String MAIN = "org.apache.spark.deploy.worker.Worker";

  private final SparkSettings settings;
  private final Path dir;
  private final SparkHome sparkHome;
  private final ClusterNode node;

  public SparkWorkerLauncher(SparkSettings settings, ClusterNode node, Path dir, SparkHome sparkHome) {
    this.settings = settings;
    this.node = node;
    this.dir = dir;
    this.sparkHome = sparkHome;
  }

  @Override
  public String name() {
    return node.name("spark-worker");
  }

  @Override
  public List<String> groups() {
    return List.of("spark", "spark-worker");
  }

  @Override
  public String processMarker() {
    return MAIN;
  }

  @Override
  public List<ServicePort> ports() {
    return List.of(new ServicePort("worker", settings.host(), node.port(settings.workerPort())),
        new ServicePort("worker-ui", settings.host(), node.port(settings.workerUiPort())));
  }

  @Override
  public Duration startTimeout() {
    return settings.startTimeout();
  }

  @Override
  public LaunchPlan prepare() {
    Path home = sparkHome.ensureAssembled();
    Path work = ConfigFiles.directory(dir.resolve("work"));
    Path log4j = ConfigFiles.log4j2(dir.resolve("log4j2.properties"), Map.of("org.sparkproject", "WARN"));
    long memoryMb = settings.workerMemoryBytes() / (1024 * 1024);
    List<String> command = SparkDaemons.command(home, MAIN, settings.heapBytes(), log4j)
        .args("--host", settings.host(), "--port", Integer.toString(node.port(settings.workerPort())),
            "--webui-port", Integer.toString(node.port(settings.workerUiPort())),
            "--cores", Integer.toString(settings.workerCores()), "--memory", memoryMb + "m",
            "--work-dir", work.toString(), settings.masterUrl())
        .build();
    return new LaunchPlan(command, SparkDaemons.environment(home, settings), dir);
  }

  @Override
  public boolean isHealthy() {
    int port = node.port(settings.workerPort());
    return SparkDaemons.masterStatus(settings)
        .map(status -> java.util.stream.StreamSupport.stream(status.path("workers").spliterator(), false)
            .anyMatch(w -> w.path("port").asInt() == port && "ALIVE".equals(w.path("state").asText())))
        .orElse(false);
  }
}
