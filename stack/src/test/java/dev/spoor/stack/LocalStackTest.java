package dev.spoor.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.stack.config.StackConfig;
import dev.spoor.stack.service.ServiceLauncher;
import dev.spoor.stack.testing.TestStackConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackTest {
  private final LocalStack stack = new LocalStack(TestStackConfig.stackConfig());

  private List<String> names(List<String> selection) {
    return stack.select(selection).stream().map(ServiceLauncher::name).toList();
  }

  @Test
  void noServiceMeansKafkaHBaseAndTrinoInStartOrder() {
    assertThat(names(List.of())).containsExactly("kafka", "hbase", "trino");
  }

  @Test
  void sparkMeansMasterThenWorkerHdfsNameNodeThenDataNodeAndAllMeansEverything() {
    assertThat(names(List.of("spark"))).containsExactly("spark-master", "spark-worker");
    assertThat(names(List.of("hdfs"))).containsExactly("hdfs-namenode", "hdfs-datanode");
    assertThat(stack.selectWithDependencies(List.of("hdfs-datanode")).stream().map(ServiceLauncher::name))
        .containsExactly("hdfs-namenode", "hdfs-datanode");
    assertThat(names(List.of("all"))).containsExactly("hdfs-namenode", "hdfs-datanode", "s3", "kafka", "hbase",
        "trino", "collector", "spark-master", "spark-worker");
  }

  @Test
  void selectionKeepsStartOrderWhateverTheOrderAskedFor() {
    assertThat(names(List.of("trino", "kafka"))).containsExactly("kafka", "trino");
  }

  @Test
  void startingTheCollectorStartsKafkaFirstButStoppingItStopsOnlyIt() {
    assertThat(stack.selectWithDependencies(List.of("collector")).stream().map(ServiceLauncher::name))
        .containsExactly("kafka", "collector");
    assertThat(names(List.of("collector"))).containsExactly("collector");
  }

  @Test
  void anUnknownServiceIsRejectedWithTheKnownOnes() {
    assertThatThrownBy(() -> stack.select(List.of("zookeeper")))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("unknown service 'zookeeper'")
        .hasMessageContaining("hdfs-namenode, hdfs-datanode, s3, kafka, hbase, trino, collector, spark-master,"
            + " spark-worker, hdfs, spark, all");
  }

  @Test
  void everyShapeKeepsStartOrderSoDownStopsClientsBeforeWhatTheyNeed() {
    List<String> order = stack.everyShape().stream().map(ServiceLauncher::name).toList();

    assertThat(order).containsSubsequence("hdfs-namenode", "hdfs-datanode", "s3", "kafka", "kafka-1", "kafka-3",
        "hbase-zookeeper", "hbase-master", "hbase-regionserver-1", "hbase-regionserver-9", "trino",
        "collector", "spark-master", "spark-worker", "spark-worker-1", "spark-worker-9");
    // Standalone HBase is where HBase goes: after Kafka, before Trino.
    assertThat(order.indexOf("hbase")).isBetween(order.indexOf("kafka-3"), order.indexOf("trino"));
    assertThat(order).doesNotHaveDuplicates();
  }

  /**
   * A stand-in for a KRaft node: its command line names the broker's main class, as a broker's does, and
   * like a broker of a quorum it finishes its shutdown only once every peer has been told to stop (a
   * broker stopped alone waits for a quorum that is gone, until it is killed).
   */
  private static Process quorumNode(String name, Path told, int nodes, String marker) throws Exception {
    String script = """
        import os, signal, sys, time
        def stop(*_):
            open(os.path.join(sys.argv[2], sys.argv[1]), "w").close()
            while len(os.listdir(sys.argv[2])) < int(sys.argv[3]):
                time.sleep(0.05)
            sys.exit(0)
        signal.signal(signal.SIGTERM, stop)
        print("ready", flush=True)
        while True:
            time.sleep(1)
        """;
    Process node = new ProcessBuilder("python3", "-c", script, name, told.toString(), Integer.toString(nodes), marker)
        .start();
    assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(node.getInputStream())).readLine())
        .isEqualTo("ready");
    return node;
  }

  @Test
  void downStopsAStackOfAnotherShapeLeftUnderTheSameVarItsPeersAtOnce(@TempDir Path var, @TempDir Path told)
      throws Exception {
    // `SPOOR_KAFKA_BROKERS=3 bin/spoor up kafka` left three brokers running; `bin/spoor down` comes without
    // the setting.
    LocalStack cluster = new LocalStack(configWith(Map.of("spoor.var-dir", var.toString(), "spoor.stack.kafka.brokers", 3)));
    LocalStack single = new LocalStack(configWith(Map.of("spoor.var-dir", var.toString())));
    Map<String, Process> brokers = new java.util.TreeMap<>();
    try {
      for (ServiceLauncher broker : cluster.select(List.of("kafka"))) {
        Process node = quorumNode(broker.name(), told, 3, broker.processMarker());
        brokers.put(broker.name(), node);
        Path pidFile = cluster.process(broker).pidFile();
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, node.pid() + "\n", StandardCharsets.US_ASCII);
        assertThat(single.process(broker).running()).as(broker.name() + "'s stand-in passes for it").isPresent();
      }

      assertThat(single.status()).extracting(ServiceStatus::service).as("status shows them too")
          .contains("kafka", "kafka-1", "kafka-2", "kafka-3").doesNotContain("hbase-master", "spark-worker-9");

      List<String> progress = new ArrayList<>();
      single.down(List.of(), progress::add);

      brokers.forEach((name, node) -> {
        assertThat(node.isAlive()).as(name + " stopped").isFalse();
        assertThat(node.exitValue()).as(name + " shut down on its own, its peers told at once, not killed").isZero();
        assertThat(progress).anyMatch(line -> line.startsWith(name + ": stopped (pid " + node.pid()));
      });
      // Another shape's services that are not running are not listed: only this shape's are.
      assertThat(progress).contains("kafka: not running")
          .noneMatch(line -> line.startsWith("hbase-master") || line.startsWith("spark-worker-9"));
    } finally {
      brokers.values().forEach(Process::destroyForcibly);
    }
  }

  /** The test stack's configuration with {@code overrides}, as a user's file would give them. */
  private static StackConfig configWith(Map<String, Object> overrides) {
    return StackConfig.from(SpoorConfigLoader.loadWithOverrides(TestStackConfig.home(),
        ConfigFactory.parseMap(overrides), ConfigFactory.parseMap(Map.copyOf(TestStackConfig.environment()))));
  }

  @Test
  void aClusterShapedStackRunsEveryNodeAsItsOwnServiceSelectedByItsGroup() {
    LocalStack cluster = new LocalStack(configWith(Map.of("spoor.stack.kafka.brokers", 3,
        "spoor.stack.hbase.mode", "distributed", "spoor.stack.spark.workers", 2)));

    assertThat(cluster.serviceNames()).containsExactly("hdfs-namenode", "hdfs-datanode", "s3", "kafka-1", "kafka-2",
        "kafka-3", "hbase-zookeeper", "hbase-master", "hbase-regionserver-1", "hbase-regionserver-2", "trino",
        "collector", "spark-master", "spark-worker-1", "spark-worker-2");
    assertThat(cluster.select(List.of("hbase")).stream().map(ServiceLauncher::name))
        .containsExactly("hbase-zookeeper", "hbase-master", "hbase-regionserver-1", "hbase-regionserver-2");
    // HBase stores on HDFS: up starts it first; the collector needs every broker.
    assertThat(cluster.selectWithDependencies(List.of("hbase-regionserver-2")).stream().map(ServiceLauncher::name))
        .containsExactly("hdfs-namenode", "hdfs-datanode", "hbase-zookeeper", "hbase-master", "hbase-regionserver-2");
    assertThat(cluster.selectWithDependencies(List.of("collector")).stream().map(ServiceLauncher::name))
        .containsExactly("kafka-1", "kafka-2", "kafka-3", "collector");
    // Node i listens on each port plus 10 (i - 1); clients get every broker.
    assertThat(cluster.select(List.of("kafka-3")).get(0).ports()).extracting(p -> p.port())
        .containsExactly(29112, 29113, 29114);
    assertThat(cluster.select(List.of("spark-worker-2")).get(0).ports()).extracting(p -> p.port())
        .containsExactly(27088, 28101);
    assertThat(cluster.config().kafka().bootstrapServers()).isEqualTo("127.0.0.1:29092,127.0.0.1:29102,127.0.0.1:29112");
    assertThat(cluster.config().topics()).allSatisfy(topic -> assertThat(topic.replication()).isEqualTo((short) 3));
  }

  @Test
  void brokersWhosePortsMeetAreRejectedAtStartUp() {
    // Broker 1's secure port on broker 2's plain one (29092 + 10).
    assertThatThrownBy(() -> configWith(Map.of("spoor.stack.kafka.brokers", 3, "spoor.stack.kafka.secure-port", 29102)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("spoor.stack.kafka.secure-port")
        .hasMessageContaining("also on every broker");
    assertThatThrownBy(() -> configWith(Map.of("spoor.stack.hbase.mode", "cluster")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("standalone or distributed");
  }

  @Test
  void theShippedConfigurationIsValid() {
    StackConfig config = StackConfig.from(SpoorConfigLoader.loadWithOverrides(TestStackConfig.home(),
        ConfigFactory.empty(), ConfigFactory.empty()));

    assertThat(config.kafka().port()).isEqualTo(9092);
    assertThat(config.trino().jdbcUrl()).isEqualTo("jdbc:trino://127.0.0.1:8080/delta");
    assertThat(config.localLakeRoot()).contains(TestStackConfig.home().resolve("var/lake"));
  }

  @Test
  void theTestStackUsesItsOwnPortsAndDirectory() {
    StackConfig config = stack.config();

    assertThat(config.kafka().port()).isEqualTo(29092);
    assertThat(config.varDir()).isEqualTo(TestStackConfig.home().resolve("target/spoor-it"));
  }

  @Test
  void aControllerPortEqualToTheBrokerPortIsRejectedAtStartUp() {
    assertThatThrownBy(() -> StackConfig.from(SpoorConfigLoader.loadWithOverrides(TestStackConfig.home(),
        ConfigFactory.parseMap(Map.of("spoor.stack.kafka.controller-port", 9092)), ConfigFactory.empty())))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("spoor.stack.kafka.controller-port = 9092");
  }

  @Test
  void sizesAreShownInBinaryUnits() {
    assertThat(LocalStack.human(512)).isEqualTo("512 B");
    assertThat(LocalStack.human(1536)).isEqualTo("1.5 KiB");
    assertThat(LocalStack.human(3L * 1024 * 1024 * 1024)).isEqualTo("3.0 GiB");
  }
}
