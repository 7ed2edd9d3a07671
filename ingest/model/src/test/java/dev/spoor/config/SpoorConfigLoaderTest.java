package dev.spoor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoorConfigLoaderTest {
  @TempDir
  Path home;

  private void conf(String text) throws IOException {
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf/spoor.conf"), text);
  }

  @Test
  void environmentVariablesOverrideDefaultsThroughOptionalSubstitutions() throws IOException {
    conf("spoor { var-dir = var, var-dir = ${?SPOOR_VAR}, lake = ${spoor.var-dir}/lake }");

    Config withoutEnv = SpoorConfigLoader.loadWithOverrides(home, ConfigFactory.empty(), ConfigFactory.empty());
    Config withEnv = SpoorConfigLoader.loadWithOverrides(home, ConfigFactory.empty(),
        ConfigFactory.parseMap(Map.of("SPOOR_VAR", "/tmp/elsewhere")));

    assertThat(withoutEnv.getString("spoor.lake")).isEqualTo("var/lake");
    assertThat(withEnv.getString("spoor.lake")).isEqualTo("/tmp/elsewhere/lake");
  }

  @Test
  void overridesWinAndSubstitutionsSeeThem() throws IOException {
    conf("spoor { var-dir = var, lake = ${spoor.var-dir}/lake }");

    Config config = SpoorConfigLoader.loadWithOverrides(home,
        ConfigFactory.parseMap(Map.of("spoor.var-dir", "/data/spoor")), ConfigFactory.empty());

    assertThat(config.getString("spoor.lake")).isEqualTo("/data/spoor/lake");
  }

  @Test
  void homeIsAlwaysSetToTheAbsoluteCheckout() throws IOException {
    conf("spoor { }");

    Config config = SpoorConfigLoader.load(home, home.resolve("conf/spoor.conf"));

    assertThat(config.getString("spoor.home")).isEqualTo(home.toAbsolutePath().normalize().toString());
  }

  @Test
  void spoorConfNamesAnAlternativeFileThatMayIncludeTheDefaults() throws IOException {
    conf("spoor { profile = local, port = 1 }");
    Files.writeString(home.resolve("conf/cluster.conf"), "include \"spoor.conf\"\nspoor.profile = cluster\n");

    Config config = SpoorConfigLoader.load(home, Map.of("SPOOR_CONF", "conf/cluster.conf"));

    assertThat(config.getString("spoor.profile")).isEqualTo("cluster");
    assertThat(config.getInt("spoor.port")).isEqualTo(1);
  }

  @Test
  void unresolvableSubstitutionIsAConfigurationErrorNamingTheKey() throws IOException {
    conf("spoor { lake = ${spoor.nowhere}/lake }");

    assertThatThrownBy(() -> SpoorConfigLoader.load(home, home.resolve("conf/spoor.conf")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("spoor.nowhere");
  }

  @Test
  void missingFileIsAConfigurationErrorNamingTheFile() {
    assertThatThrownBy(() -> SpoorConfigLoader.load(home, Map.of("SPOOR_CONF", "conf/absent.conf")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("absent.conf");
  }
}
