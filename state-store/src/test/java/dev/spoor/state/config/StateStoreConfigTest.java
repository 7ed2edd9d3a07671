package dev.spoor.state.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.spoor.config.SpoorConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateStoreConfigTest {
  private static final Path HOME = Path.of("").toAbsolutePath().getParent();

  @Test
  void clientSettingsReachTheHBaseConfigurationOverSpoorsDefaults() {
    StateStoreConfig config = StateStoreConfig.from(SpoorConfigLoader.loadWithOverrides(HOME,
        ConfigFactory.parseString("spoor.state.client { zookeeper.znode.parent = /hbase-secure,"
            + " \"hbase.client.retries.number\" = 7 }"), ConfigFactory.empty()));
    assertThat(config.client()).isEqualTo(Map.of("zookeeper.znode.parent", "/hbase-secure",
        "hbase.client.retries.number", "7"));
    assertThat(config.hbase().get("zookeeper.znode.parent")).isEqualTo("/hbase-secure");
    assertThat(config.hbase().getInt("hbase.client.retries.number", 0)).isEqualTo(7);
    assertThat(config.withNamespace("other").hbase().get("zookeeper.znode.parent")).isEqualTo("/hbase-secure");
  }

  @Test
  void withoutClientSettingsSpoorsDefaultsHold() {
    StateStoreConfig config = StateStoreConfig.from(SpoorConfigLoader.loadWithOverrides(HOME,
        ConfigFactory.empty(), ConfigFactory.empty()));
    assertThat(config.client()).isEmpty();
    assertThat(config.hbase().getInt("hbase.client.retries.number", 0)).isEqualTo(3);
  }

  @Test
  void bufferedWritesRetryAsLongAsTheRetryPolicy() {
    StateStoreConfig config = StateStoreConfig.from(SpoorConfigLoader.loadWithOverrides(HOME,
        ConfigFactory.parseString("spoor.state { operation-timeout = 5s, retry { attempts = 10, backoff = 200ms,"
            + " max-backoff = 10s } }"), ConfigFactory.empty()));
    var conf = config.hbaseForBufferedWrites();
    assertThat(conf.getInt("hbase.client.retries.number", 0)).isEqualTo(10);
    assertThat(conf.getLong("hbase.client.pause", 0)).isEqualTo(200);
    assertThat(conf.getLong("hbase.client.operation.timeout", 0)).isEqualTo(150_000);
    assertThat(conf.getLong("hbase.rpc.timeout", 0)).as("each call as short as any other").isEqualTo(5_000);
    assertThat(config.hbase().getInt("hbase.client.retries.number", 0)).isEqualTo(3);
  }
}
