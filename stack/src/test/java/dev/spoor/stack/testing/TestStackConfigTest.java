package dev.spoor.stack.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TestStackConfigTest {
  /**
   * The test stack assembles SPARK_HOME under its cache directory and {@code bin/spoor} (run by the
   * tests) looks for it under {@code ${SPOOR_CACHE:-$HOME/.cache/spoor}}: both must be the same place.
   */
  @Test
  void theTestStackCachesWhereBinSpoorLooks() {
    String cache = System.getenv("SPOOR_CACHE");
    Path expected = cache != null && !cache.isBlank()
        ? Path.of(cache) : Path.of(System.getenv("HOME"), ".cache", "spoor");
    assertThat(TestStackConfig.stackConfig().cacheDir()).isEqualTo(expected);
  }
}
