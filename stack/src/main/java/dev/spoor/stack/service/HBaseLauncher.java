package dev.spoor.stack.service;

import dev.spoor.stack.config.HBaseSettings;
import dev.spoor.stack.process.JavaCommand;
import dev.spoor.stack.process.LaunchPlan;
import dev.spoor.stack.runtime.RuntimeClasspath;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;

/**
 * Standalone HBase: master, one region server and ZooKeeper in a single JVM
 * ({@code HMaster start} with {@code hbase.cluster.distributed=false}), storing on the local file
 * system. All ports and hostnames are pinned to the configured address; info servers are off.
 */
public final class HBaseLauncher implements ServiceLauncher {
  private static final String MAIN = "org.apache.hadoop.hbase.master.HMaster";

  private final HBaseSettings settings;
  private final Path dir;
  private final RuntimeClasspath runtime;

  public HBaseLauncher(HBaseSettings settings, Path dir, RuntimeClasspath runtime) {
    this.settings = settings;
    this.dir = dir;
    this.runtime = runtime;
  }

  @Override
  public String name() {
    return "hbase";
  }

  @Override
  public String processMarker() {
    return MAIN;
  }

  @Override
  public List<ServicePort> ports() {
    return List.of(new ServicePort("zookeeper", settings.host(), settings.zookeeperPort()),
        new ServicePort("master", settings.host(), settings.masterPort()),
        new ServicePort("regionserver", settings.host(), settings.regionServerPort()));
  }

  @Override
  public Duration startTimeout() {
    return settings.startTimeout();
  }

  @Override
  public LaunchPlan prepare() {
    String classpath = runtime.classpath("hbase");
    Path conf = ConfigFiles.directory(dir.resolve("conf"));
    ConfigFiles.hadoopXml(conf.resolve("hbase-site.xml"), siteProperties());
    Path log4j = ConfigFiles.log4j1(conf.resolve("log4j.properties"),
        Map.of("org.apache.zookeeper", "WARN", "org.apache.hadoop", "WARN",
            "org.apache.hadoop.hbase", "INFO", "org.apache.hadoop.hbase.ScheduledChore", "WARN"));
    List<String> command = JavaCommand.of(JavaCommand.currentJavaHome(), MAIN)
        .heap(settings.heapBytes())
        .options(JavaCommand.MODULE_OPENINGS)
        .option("-XX:+UseG1GC")
        .property("log4j.configuration", log4j.toUri().toString())
        .property("hbase.log.dir", dir.toString())
        .property("zookeeper.admin.enableServer", "false")
        .classpath(conf + File.pathSeparator + classpath)
        .args("start")
        .build();
    return new LaunchPlan(command, Map.of(), dir);
  }

  @Override
  public java.util.Optional<LaunchPlan> orderlyStopCommand() {
    Path conf = dir.resolve("conf");
    List<String> command = JavaCommand.of(JavaCommand.currentJavaHome(), MAIN)
        .heap(256L * 1024 * 1024)
        .options(JavaCommand.MODULE_OPENINGS)
        .property("log4j.configuration", conf.resolve("log4j.properties").toUri().toString())
        .classpath(conf + File.pathSeparator + runtime.classpath("hbase"))
        .args("stop", "--shutDownCluster")
        .build();
    return java.util.Optional.of(new LaunchPlan(command, Map.of(), dir));
  }

  Map<String, String> siteProperties() {
    String host = settings.host();
    Map<String, String> p = new LinkedHashMap<>();
    p.put("hbase.cluster.distributed", "false");
    p.put("hbase.rootdir", dir.resolve("data").toUri().toString());
    p.put("hbase.tmp.dir", dir.resolve("tmp").toString());
    p.put("hbase.zookeeper.quorum", host);
    p.put("hbase.zookeeper.property.clientPort", Integer.toString(settings.zookeeperPort()));
    p.put("hbase.zookeeper.property.dataDir", dir.resolve("zookeeper").toString());
    p.put("hbase.master.hostname", host);
    p.put("hbase.master.ipc.address", host);
    p.put("hbase.master.port", Integer.toString(settings.masterPort()));
    p.put("hbase.master.info.port", "-1");
    p.put("hbase.regionserver.hostname", host);
    p.put("hbase.regionserver.ipc.address", host);
    p.put("hbase.regionserver.port", Integer.toString(settings.regionServerPort()));
    p.put("hbase.regionserver.info.port", "-1");
    p.put("hbase.localcluster.assign.random.ports", "false");
    p.put("hbase.unsafe.stream.capability.enforce", "false");
    return p;
  }

  /** Client configuration for this local HBase, for tools and tests. */
  public static Configuration clientConfiguration(HBaseSettings settings) {
    Configuration conf = HBaseConfiguration.create();
    conf.set("hbase.zookeeper.quorum", settings.host());
    conf.setInt("hbase.zookeeper.property.clientPort", settings.zookeeperPort());
    return conf;
  }

  @Override
  public boolean isHealthy() {
    Configuration conf = clientConfiguration(settings);
    conf.setInt("hbase.client.retries.number", 1);
    conf.setInt("hbase.rpc.timeout", 3000);
    conf.setInt("hbase.client.operation.timeout", 5000);
    conf.setInt("zookeeper.session.timeout", 5000);
    conf.setInt("zookeeper.recovery.retry", 0);
    try (Connection connection = ConnectionFactory.createConnection(conf);
         Admin admin = connection.getAdmin()) {
      // The master is initialised (it answers table and namespace listings) and a region server carries meta.
      admin.listTableNames();
      // Namespace operations answer only once the master has finished initialising ("please hold"
      // before that), which is later than meta being available.
      admin.listNamespaceDescriptors();
      return !admin.getRegionServers().isEmpty() && admin.isTableAvailable(TableName.META_TABLE_NAME);
    } catch (Exception e) {
      return false;
    }
  }
}
