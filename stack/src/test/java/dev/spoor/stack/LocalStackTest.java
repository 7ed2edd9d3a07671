package dev.spoor.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.stack.config.StackConfig;
import dev.spoor.stack.service.ServiceLauncher;
import dev.spoor.stack.testing.TestStackConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
            + " spark-worker, spark, hdfs, all");
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
