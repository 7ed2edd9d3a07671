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
}
