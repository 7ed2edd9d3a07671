package dev.spoor.stack.service;

import dev.spoor.stack.config.HdfsSettings;
import dev.spoor.stack.process.LaunchPlan;
import dev.spoor.stack.runtime.RuntimeClasspath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * HDFS's DataNode; healthy once the NameNode counts it live and has left safe mode (its blocks are
 * reported): the file system takes reads and writes.
 */
public final class HdfsDataNodeLauncher implements ServiceLauncher {
  private static final String MAIN = "org.apache.hadoop.hdfs.server.datanode.DataNode";

  private final HdfsSettings settings;
  private final Path dir;
  private final RuntimeClasspath runtime;

  public HdfsDataNodeLauncher(HdfsSettings settings, Path dir, RuntimeClasspath runtime) {
    this.settings = settings;
    this.dir = dir;
    this.runtime = runtime;
  }

  @Override
  public String name() {
    return "hdfs-datanode";
  }

  @Override
  public List<String> groups() {
    return List.of("hdfs");
  }

  @Override
  public String processMarker() {
    return MAIN;
  }

  @Override
  public List<ServicePort> ports() {
    return List.of(new ServicePort("datanode", settings.host(), settings.datanodePort()));
  }

  @Override
  public Duration startTimeout() {
    return settings.startTimeout();
  }

  @Override
  public List<String> dependsOn() {
    return List.of("hdfs-namenode");
  }

  @Override
  public LaunchPlan prepare() {
    Path conf = HdfsDaemon.configuration(dir, settings);
    return new LaunchPlan(HdfsDaemon.command(conf, settings, runtime, MAIN).build(), Map.of(), dir);
  }

  @Override
  public boolean isHealthy() {
    boolean live = HdfsDaemon.nameNodeBean(settings, "FSNamesystemState")
        .map(bean -> bean.path("NumLiveDataNodes").asInt(0) >= 1).orElse(false);
    return live && HdfsDaemon.nameNodeBean(settings, "NameNodeInfo")
        .map(bean -> bean.path("Safemode").asText("?").isEmpty()).orElse(false);
  }
}
