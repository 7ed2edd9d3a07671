package dev.spoor.stack.service;

import dev.spoor.stack.config.ClusterNode;
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
 * A process of the local HBase. Standalone ({@code hbase}): master, one region server and ZooKeeper in
 * a single JVM ({@code HMaster start} with {@code hbase.cluster.distributed=false}), storing on the
 * local file system. Distributed: the master ({@code hbase-master}) or one region server
 * ({@code hbase-regionserver-i}), each its own JVM, with ZooKeeper ({@link ZooKeeperLauncher}) and the
 * root directory (HDFS) outside. All ports and hostnames are pinned to the configured address; info
 * servers are off.
 */
public final class HBaseLauncher implements ServiceLauncher {
  private static final String MASTER = "org.apache.hadoop.hbase.master.HMaster";
  private static final String REGION_SERVER = "org.apache.hadoop.hbase.regionserver.HRegionServer";

  /** What the process is. */
  public enum Role { STANDALONE, MASTER, REGION_SERVER }

  private final HBaseSettings settings;
  private final Role role;
  private final ClusterNode node;
  private final Path dir;
  private final RuntimeClasspath runtime;

  /** The standalone HBase, its files in {@code dir}. */
  public HBaseLauncher(HBaseSettings settings, Path dir, RuntimeClasspath runtime) {
    this(settings, Role.STANDALONE, ClusterNode.single(), dir, runtime);
  }

  /** The process {@code role} (region server {@code node}) of distributed HBase, its files in {@code dir}. */
  public HBaseLauncher(HBaseSettings settings, Role role, ClusterNode node, Path dir, RuntimeClasspath runtime) {
    this.settings = settings;
    this.role = role;
    this.node = node;
    this.dir = dir;
    this.runtime = runtime;
  }

  @Override
  public String name() {
    return switch (role) {
      case STANDALONE -> "hbase";
      case MASTER -> "hbase-master";
      case REGION_SERVER -> node.name("hbase-regionserver");
    };
  }

  @Override
  public List<String> groups() {
    return role == Role.STANDALONE ? List.of() : List.of("hbase");
  }

  @Override
  public List<String> dependsOn() {
    if (role == Role.STANDALONE) {
      return List.of();
    }
    List<String> needed = new java.util.ArrayList<>(List.of("hbase-zookeeper"));
    if (settings.rootDir().startsWith("hdfs:")) {
      needed.add("hdfs");
    }
    if (role == Role.REGION_SERVER) {
      needed.add("hbase-master");
    }
    return needed;
  }

  @Override
  public String processMarker() {
    return role == Role.REGION_SERVER ? REGION_SERVER : MASTER;
  }

  private int regionServerPort() {
    return node.port(settings.regionServerPort());
  }

  @Override
  public List<ServicePort> ports() {
    ServicePort master = new ServicePort("master", settings.host(), settings.masterPort());
    ServicePort regionServer = new ServicePort("regionserver", settings.host(), regionServerPort());
    return switch (role) {
      case STANDALONE -> List.of(new ServicePort("zookeeper", settings.host(), settings.zookeeperPort()), master,
          regionServer);
      case MASTER -> List.of(master);
      case REGION_SERVER -> List.of(regionServer);
    };
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
    List<String> command = JavaCommand.of(JavaCommand.currentJavaHome(), processMarker())
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

  /**
   * The master shuts the cluster down: in standalone mode its region server before ZooKeeper. A
   * region server of distributed HBase stops on SIGTERM (its shutdown hook closes its regions).
   */
  @Override
  public java.util.Optional<LaunchPlan> orderlyStopCommand() {
    if (role == Role.REGION_SERVER) {
      return java.util.Optional.empty();
    }
    Path conf = dir.resolve("conf");
    List<String> command = JavaCommand.of(JavaCommand.currentJavaHome(), MASTER)
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
    boolean distributed = role != Role.STANDALONE;
    p.put("hbase.cluster.distributed", Boolean.toString(distributed));
    p.put("hbase.rootdir", distributed ? settings.rootDir() : dir.resolve("data").toUri().toString());
    p.put("hbase.tmp.dir", dir.resolve("tmp").toString());
    p.put("hbase.zookeeper.quorum", host);
    p.put("hbase.zookeeper.property.clientPort", Integer.toString(settings.zookeeperPort()));
    p.put("hbase.zookeeper.property.dataDir", dir.resolve("zookeeper").toString());
    if (distributed) {
      // A dead region server is noticed when its ZooKeeper session expires: 10 s, not HBase's 90.
      p.put("zookeeper.session.timeout", "10000");
      // The classic WAL writer: the asynchronous one reaches into HDFS client internals of one version.
      p.put("hbase.wal.provider", "filesystem");
      p.put("dfs.replication", "1");
    }
    p.put("hbase.master.hostname", host);
    p.put("hbase.master.ipc.address", host);
    p.put("hbase.master.port", Integer.toString(settings.masterPort()));
    p.put("hbase.master.info.port", "-1");
    p.put("hbase.regionserver.hostname", host);
    p.put("hbase.regionserver.ipc.address", host);
    p.put("hbase.regionserver.port", Integer.toString(regionServerPort()));
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

  /**
   * Standalone: the master has initialised and meta is online. The distributed master: it listens (it
   * finishes initialising only once a region server carries meta). A region server: the master lists
   * it, and meta is online.
   */
  @Override
  public boolean isHealthy() {
    if (role == Role.MASTER) {
      return dev.spoor.stack.process.PortOwner.isListening(settings.host(), settings.masterPort());
    }
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
      boolean listed = admin.getRegionServers().stream().anyMatch(server -> server.getPort() == regionServerPort());
      return listed && admin.isTableAvailable(TableName.META_TABLE_NAME);
    } catch (Exception e) {
      return false;
    }
  }
}
