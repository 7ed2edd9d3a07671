package dev.spoor.stack.service;

import dev.spoor.stack.config.HBaseSettings;
import dev.spoor.stack.process.JavaCommand;
import dev.spoor.stack.process.LaunchPlan;
import dev.spoor.stack.runtime.RuntimeClasspath;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The ZooKeeper of distributed HBase, as a cluster runs it outside HBase's processes (the
 * {@code zookeeper} jar HBase ships, {@code ZooKeeperServerMain}). Healthy when it answers
 * {@code srvr} as a serving server.
 */
public final class ZooKeeperLauncher implements ServiceLauncher {
  private static final String MAIN = "org.apache.zookeeper.server.ZooKeeperServerMain";

  private final HBaseSettings settings;
  private final Path dir;
  private final RuntimeClasspath runtime;

  public ZooKeeperLauncher(HBaseSettings settings, Path dir, RuntimeClasspath runtime) {
    this.settings = settings;
    this.dir = dir;
    this.runtime = runtime;
  }

  @Override
  public String name() {
    return "hbase-zookeeper";
  }

  @Override
  public List<String> groups() {
    return List.of("hbase");
  }

  @Override
  public String processMarker() {
    return MAIN;
  }

  @Override
  public List<ServicePort> ports() {
    return List.of(new ServicePort("zookeeper", settings.host(), settings.zookeeperPort()));
  }

  @Override
  public Duration startTimeout() {
    return settings.startTimeout();
  }

  @Override
  public LaunchPlan prepare() {
    Path conf = ConfigFiles.properties(dir.resolve("zoo.cfg"), Map.of(
        "dataDir", ConfigFiles.directory(dir.resolve("data")).toString(),
        "clientPort", Integer.toString(settings.zookeeperPort()),
        "clientPortAddress", settings.host(),
        "tickTime", "2000",
        "maxClientCnxns", "0",
        "admin.enableServer", "false",
        "4lw.commands.whitelist", "srvr"));
    Path log4j = ConfigFiles.log4j1(dir.resolve("log4j.properties"), Map.of("org.apache.zookeeper", "WARN"));
    List<String> command = JavaCommand.of(JavaCommand.currentJavaHome(), MAIN)
        .heap(256L * 1024 * 1024)
        .property("log4j.configuration", log4j.toUri().toString())
        .classpath(runtime.classpath("hbase"))
        .args(conf.toString())
        .build();
    return new LaunchPlan(command, Map.of(), dir);
  }

  @Override
  public boolean isHealthy() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(settings.host(), settings.zookeeperPort()), 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).contains("Mode: standalone");
    } catch (IOException e) {
      return false;
    }
  }
}
