package dev.spoor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingsTest {
  private static Settings kafka(String hocon) {
    return Settings.of(ConfigFactory.parseString("spoor.stack.kafka { " + hocon + " }"), "spoor.stack")
        .section("kafka");
  }

  @Test
  void readsTypedValues() {
    Settings s = kafka("port = 9092, heap = 512m, timeout = 90s, dir = data, host = x");

    assertThat(s.port("port")).isEqualTo(9092);
    assertThat(s.bytes("heap")).isEqualTo(512L * 1024 * 1024);
    assertThat(s.duration("timeout")).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.path("dir", Path.of("/home/spoor"))).isEqualTo(Path.of("/home/spoor/data"));
    assertThat(s.string("host")).isEqualTo("x");
  }

  @Test
  void portOutOfRangeNamesTheFullKeyTheValueAndTheRange() {
    assertThatThrownBy(() -> kafka("port = 70000").port("port"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("invalid configuration spoor.stack.kafka.port = 70000: expected an integer from 1 to 65535");
  }

  @Test
  void wrongTypeNamesTheKeyAndWhatWasExpected() {
    assertThatThrownBy(() -> kafka("heap = lots").bytes("heap"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("spoor.stack.kafka.heap = lots")
        .hasMessageContaining("a size such as 512m");
  }

  @Test
  void missingKeyIsNamed() {
    assertThatThrownBy(() -> kafka("port = 1").duration("start-timeout"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("spoor.stack.kafka.start-timeout")
        .hasMessageContaining("missing");
  }

  @Test
  void zeroDurationIsRejected() {
    assertThatThrownBy(() -> kafka("t = 0s").duration("t"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("positive duration");
  }

  @Test
  void blankStringIsRejected() {
    assertThatThrownBy(() -> kafka("host = \"\"").string("host"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("non-empty");
  }

  @Test
  void missingSectionIsNamed() {
    assertThatThrownBy(() -> Settings.of(ConfigFactory.empty(), "spoor.stack"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("spoor.stack");
  }
}
