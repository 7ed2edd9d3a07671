package dev.spoor.stack.service;

import dev.spoor.stack.config.SparkSettings;
import dev.spoor.stack.process.JavaCommand;
import dev.spoor.stack.process.LaunchPlan;
import dev.spoor.stack.runtime.SparkHome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The master of the local Spark standalone cluster; {@code spark-submit --master spark://…} targets it. */
public final class SparkMasterLauncher implements ServiceLauncher {
  static final String MAIN = "org.apache.spark.deploy.master.Master";

  private final SparkSettings settings;
  private final Path dir;
  private final SparkHome sparkHome;

  public SparkMasterLauncher(SparkSettings settings, Path dir, SparkHome sparkHome) {
    this.settings = settings;
    this.dir = dir;
    this.sparkHome = sparkHome;
  }

  @Override
  public String name() {
    return "spark-master";
  }

  @Override
  public List<String> groups() {
    return List.of("spark");
  }

  @Override
  public String processMarker() {
    return MAIN;
  }

  @Override
  public List<ServicePort> ports() {
    return List.of(new ServicePort("master", settings.host(), settings.masterPort()),
        new ServicePort("master-ui", settings.host(), settings.masterUiPort()));
  }

  @Override
  public Duration startTimeout() {
    return settings.startTimeout();
  }

  @Override
  public LaunchPlan prepare() {
    Path home = sparkHome.ensureAssembled();
    Path log4j = ConfigFiles.log4j2(dir.resolve("log4j2.properties"), Map.of("org.sparkproject", "WARN"));
    List<String> command = SparkDaemons.command(home, MAIN, settings.heapBytes(), log4j)
        .args("--host", settings.host(), "--port", Integer.toString(settings.masterPort()),
            "--webui-port", Integer.toString(settings.masterUiPort()))
        .build();
    return new LaunchPlan(command, SparkDaemons.environment(home, settings), dir);
  }

  @Override
  public boolean isHealthy() {
    return SparkDaemons.masterStatus(settings)
        .map(status -> "ALIVE".equals(status.path("status").asText()))
        .orElse(false);
  }
}
