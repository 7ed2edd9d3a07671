package dev.spoor.speed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The figures the progress report derives: Kafka lag from Spark's offsets, the speed view's TTL warning. */
class SpeedProgressTest {
  @Test
  void lagIsTheLatestOffsetsMinusWhatTheBatchReadOverEveryPartition() {
    assertThat(SpeedProgress.lag("{\"good\":{\"0\":100,\"1\":50}}", "{\"good\":{\"0\":130,\"1\":50,\"2\":7}}")).hasValue(37L);
    assertThat(SpeedProgress.lag("{\"good\":{\"0\":100}}", null)).isEmpty();
    assertThat(SpeedProgress.lag("not json", "{}")).isEmpty();
  }

  @Test
  void theWarningStartsWhenTheOldestUncoveredEventIsOlderThanHalfTheTtl() {
    Instant now = Instant.parse("2026-12-03T12:00:00Z");
    assertThat(SpeedProgress.ttlWarning(now.minus(Duration.ofDays(7)), now)).isEmpty();
    assertThat(SpeedProgress.ttlWarning(now.minus(Duration.ofDays(7)).minusSeconds(3600), now))
        .hasValueSatisfying(w -> assertThat(w).contains("recorded 7.0 days ago").contains("expire 14 days after"));
  }
}
