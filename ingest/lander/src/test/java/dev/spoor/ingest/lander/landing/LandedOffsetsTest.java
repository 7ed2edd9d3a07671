package dev.spoor.ingest.lander.landing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LandedOffsetsTest {
  @Test
  void aNewCheckpointStartsAfterTheLandedOffsetsAndAtTheFallbackElsewhere() {
    LandedOffsets landed = new LandedOffsets("good", Map.of(0, 41L, 2, 7L));

    assertThat(landed.startingOffsets(3, "latest")).isEqualTo("{\"good\":{\"0\":42,\"1\":-1,\"2\":8}}");
    assertThat(landed.startingOffsets(3, "earliest")).isEqualTo("{\"good\":{\"0\":42,\"1\":-2,\"2\":8}}");
    assertThat(new LandedOffsets("good", Map.of()).startingOffsets(3, "latest")).isEqualTo("latest");
  }

  @Test
  void aBatchCoversUpToTheOffsetBeforeTheNextOneToRead() {
    assertThat(BatchOffsets.parse("{\"good\":{\"0\":12,\"1\":0,\"2\":5}}", "good")).isEqualTo(Map.of(0, 11L, 2, 4L));
    assertThat(BatchOffsets.parse("{\"other\":{\"0\":12}}", "good")).isEmpty();
  }

  @Test
  void offsetsRoundTripThroughTheCommitMetadata() {
    LandedOffsets landed = new LandedOffsets("good", Map.of(0, 41L)).plus(Map.of(0, 40L, 1, 3L));

    assertThat(landed.offsets()).isEqualTo(Map.of(0, 41L, 1, 3L));
    assertThat(LandedOffsets.parse(landed.metadata(), "good").orElseThrow().offsets()).isEqualTo(landed.offsets());
    assertThat(LandedOffsets.parse(landed.metadata(), "bad")).isEmpty();
  }
}
