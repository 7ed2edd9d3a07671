package dev.spoor.lake;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrinoRegistryTest {
  private static final LakeSettings LAKE = new LakeSettings("/srv/lake", "/srv/archive", Duration.ofDays(7),
      "jdbc:trino://127.0.0.1:1", "delta", "spoor", "spoor", null);

  @Test
  void refusesToRegisterAnythingOutsideTheLakeAndTheArchive() {
    for (String location : new String[] {"/etc", "/srv/lake", "/srv/lakehouse/events", "/srv/lake/../etc/passwd",
        "/srv/archive/events/../../../etc"}) {
      // Refused before any connection (the registrar here has no password and no Trino listens on port 1).
      assertThatThrownBy(() -> new TrinoRegistry(LAKE).register(Map.of("t", location))).as(location)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refusing to register t at " + location);
    }
  }
}
