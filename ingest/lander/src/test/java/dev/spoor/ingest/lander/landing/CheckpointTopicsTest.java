package dev.spoor.ingest.lander.landing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spoor.config.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTopicsTest {
  @TempDir
  Path checkpoint;

  private void offsets(long batch, String sourceJson) throws IOException {
    Files.createDirectories(checkpoint.resolve("offsets"));
    Files.writeString(checkpoint.resolve("offsets").resolve(Long.toString(batch)),
        "v1\n{\"batchWatermarkMs\":0,\"batchTimestampMs\":1}\n" + sourceJson);
  }

  @Test
  void aCheckpointOfAnotherTopicIsRefusedWithTheWayOut() throws IOException {
    offsets(0, "{\"old.topic\":{\"0\":5}}");
    offsets(3, "{\"old.topic\":{\"0\":12,\"1\":7}}");

    assertThatThrownBy(() -> CheckpointTopics.requireSameTopic(checkpoint.toString(), "spoor.events.good",
        new Configuration(), "spoor.kafka.topics.good"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("spoor.kafka.topics.good")
        .hasMessageContaining("was written for Kafka topic old.topic")
        .hasMessageContaining("SPOOR_CHECKPOINT_DIR");
  }

  @Test
  void theSameTopicOrNoCheckpointYetIsFine() throws IOException {
    assertThatCode(() -> CheckpointTopics.requireSameTopic(checkpoint.toString(), "t", new Configuration(), "k"))
        .doesNotThrowAnyException();
    offsets(0, "{\"t\":{\"0\":5}}");
    assertThatCode(() -> CheckpointTopics.requireSameTopic(checkpoint.toString(), "t", new Configuration(), "k"))
        .doesNotThrowAnyException();
  }
}
