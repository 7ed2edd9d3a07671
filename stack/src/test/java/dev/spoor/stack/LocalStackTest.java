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
  void downStopsWhatAStackOfAnotherShapeLeftRunningUnderTheSameVar(@TempDir Path var) throws Exception {
    // `SPOOR_KAFKA_BROKERS=3 bin/spoor up kafka` left broker 2 running; `bin/spoor down` comes without the setting.
    LocalStack cluster = new LocalStack(configWith(Map.of("spoor.var-dir", var.toString(), "spoor.stack.kafka.brokers", 3)));
    LocalStack single = new LocalStack(configWith(Map.of("spoor.var-dir", var.toString())));
    ServiceLauncher broker2 = cluster.select(List.of("kafka-2")).get(0);
    // A stand-in process whose command line names the broker's main class, as the broker's does.
    Process standIn = new ProcessBuilder("python3", "-c", "import time; time.sleep(600)", broker2.processMarker())
        .start();
    try {
      Path pidFile = cluster.process(broker2).pidFile();
      Files.createDirectories(pidFile.getParent());
      Files.writeString(pidFile, standIn.pid() + "\n", StandardCharsets.US_ASCII);
      assertThat(single.process(broker2).running()).as("the stand-in passes for broker 2").isPresent();

      List<String> progress = new ArrayList<>();
      single.down(List.of(), progress::add);

      assertThat(standIn.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("broker 2 stopped").isTrue();
      assertThat(progress).anyMatch(line -> line.startsWith("kafka-2: stopped (pid " + standIn.pid()))
          // Another shape's services that are not running are not listed: only this shape's are.
          .contains("kafka: not running").noneMatch(line -> line.startsWith("kafka-3") || line.startsWith("spark-worker-9"));
      assertThat(pidFile).doesNotExist();
    } finally {
      standIn.destroyForcibly();
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
