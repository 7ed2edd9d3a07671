package dev.spoor.stack.service;

import dev.spoor.stack.config.HdfsSettings;
import dev.spoor.stack.process.LaunchPlan;
import dev.spoor.stack.process.OneShotCommand;
import dev.spoor.stack.runtime.RuntimeClasspath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * HDFS's NameNode, formatted on first start (later starts reuse its metadata). Healthy when it is
 * active: after a restart it stays in safe mode until the DataNode has reported the blocks it holds,
 * so the DataNode's health, not this one, waits for safe mode to end.
 */
public final class HdfsNameNodeLauncher implements ServiceLauncher {
  static final String MAIN = "org.apache.hadoop.hdfs.server.namenode.NameNode";

  private final HdfsSettings settings;
  private final Path dir;
  private final RuntimeClasspath runtime;

  public HdfsNameNodeLauncher(HdfsSettings settings, Path dir, RuntimeClasspath runtime) {
    this.settings = settings;
    this.dir = dir;
    this.runtime = runtime;
  }

  @Override
  public String name() {
    return "hdfs-namenode";
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
    return List.of(new ServicePort("namenode", settings.host(), settings.namenodePort()),
        new ServicePort("namenode http", settings.host(), settings.httpPort()));
  }

  @Override
  public Duration startTimeout() {
    return settings.startTimeout();
  }

  @Override
  public LaunchPlan prepare() {
    Path conf = HdfsDaemon.configuration(dir, settings);
    if (!Files.isRegularFile(dir.resolve("name/current/VERSION"))) {
      format(conf);
    }
    return new LaunchPlan(HdfsDaemon.command(conf, settings, runtime, MAIN).build(), Map.of(), dir);
  }

  private void format(Path conf) {
    List<String> command = HdfsDaemon.command(conf, settings, runtime, MAIN).heap(256L * 1024 * 1024)
        .args("-format", "-nonInteractive", "-force").build();
    OneShotCommand.run(command, dir.resolve("format.log"), Duration.ofMinutes(2), "formatting HDFS in " + dir);
  }

  @Override
  public boolean isHealthy() {
    return HdfsDaemon.nameNodeBean(settings, "NameNodeStatus")
        .map(bean -> bean.path("State").asText().equals("active")).orElse(false);
  }
}
