package dev.spoor.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FailpointsTest {
  @Test
  void aSpecNamesPointsAndTheHitEachFiresOn() {
    assertThat(Failpoints.parse("publish.after-pointer-move, lander.after-delta-commit@3"))
        .isEqualTo(Map.of("publish.after-pointer-move", 1, "lander.after-delta-commit", 3));
    assertThat(Failpoints.parse(null)).isEmpty();
    assertThat(Failpoints.parse(" , ")).isEmpty();
  }

  @Test
  void aMalformedSpecIsRefusedWithTheItem() {
    assertThatThrownBy(() -> Failpoints.parse("clean.after-merge@0")).hasMessageContaining("clean.after-merge@0");
    assertThatThrownBy(() -> Failpoints.parse("Bad Name")).hasMessageContaining("'Bad Name'");
  }

  @Test
  void aPointMarkedInTheOnceDirectoryFiresOnlyTheFirstTime(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    java.nio.file.Path once = dir.resolve("once");
    assertThat(Failpoints.markFirst(once, "clean.after-commit")).isTrue();
    assertThat(Failpoints.markFirst(once, "clean.after-commit")).isFalse();
    assertThat(Failpoints.markFirst(once, "publish.after-pointer-move")).isTrue();
    assertThat(once.resolve("clean.after-commit")).exists();
  }

  @Test
  void anUnarmedPointLetsTheProcessGoOn() {
    // Were it armed, this JVM would halt here and the test run would fail.
    Failpoints.hit("nothing.armed.here");
  }
}
