package dev.spoor.speed.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.stack.testing.TestStackConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpeedConfigTest {
  private static SpeedConfig withCheckpoint(String dir) {
    return SpeedConfig.from(TestStackConfig.config(Map.of("SPOOR_SPEED_CHECKPOINT_DIR", dir)), TestStackConfig.home());
  }

  @Test
  void aCheckpointOnHdfsOrS3IsKeptAsItsUriAndALocalOneIsMadeAbsolute() {
    assertThat(withCheckpoint("hdfs://namenode:8020/spoor/speed").checkpointDir())
        .isEqualTo("hdfs://namenode:8020/spoor/speed");
    assertThat(withCheckpoint("s3a://bucket/spoor/speed").checkpointDir()).isEqualTo("s3a://bucket/spoor/speed");
    assertThat(withCheckpoint("var/speed/checkpoint").checkpointDir())
        .isEqualTo(TestStackConfig.home().resolve("var/speed/checkpoint").toString());
    assertThat(Path.of(withCheckpoint("/tmp/speed").checkpointDir())).isEqualTo(Path.of("/tmp/speed"));
  }
}
