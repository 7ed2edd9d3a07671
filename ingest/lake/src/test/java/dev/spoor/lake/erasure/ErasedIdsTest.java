package dev.spoor.lake.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which events an erasure drops: by user id, by device when anonymous, only those collected before it. */
class ErasedIdsTest {
  private static final ErasureKey KEY = new ErasureKey("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
  private static final Timestamp ERASED = Timestamp.from(Instant.parse("2026-12-01T12:00:00Z"));
  private static final Timestamp BEFORE = Timestamp.from(Instant.parse("2026-12-01T11:00:00Z"));
  private static final Timestamp AFTER = Timestamp.from(Instant.parse("2026-12-01T13:00:00Z"));

  @Test
  void usersAndTheirDevicesAnonymousEventsCollectedBeforeTheErasure() {
    ErasedIds erased = new ErasedIds(KEY, Map.of(KEY.hmac("alice"), ERASED), Map.of(KEY.hmac("d-alice"), ERASED),
        Map.of());

    assertThat(erased.drops("alice", null, BEFORE)).isTrue();
    assertThat(erased.drops("alice", "d-other", ERASED)).as("at the erasure time").isTrue();
    assertThat(erased.drops("alice", null, AFTER)).as("collected after: new data").isFalse();
    assertThat(erased.drops(null, "d-alice", BEFORE)).as("her browser, anonymous").isTrue();
    assertThat(erased.drops("", "d-alice", BEFORE)).as("an empty user id is none").isTrue();
    assertThat(erased.drops("bob", "d-alice", BEFORE)).as("bob logged in on her browser").isFalse();
    assertThat(erased.drops(null, null, BEFORE)).isFalse();
    assertThat(erased.dropsBadRow("e=pv&uid=alice", "text", BEFORE)).isTrue();
    assertThat(erased.dropsBadRow("e=pv&uid=alice", "text", AFTER)).isFalse();
  }

  @Test
  void theLogOfEarlierVersionsMatchesEitherIdAndEventsWithoutIdsPass() throws Exception {
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("carol".getBytes(StandardCharsets.UTF_8)));
    ErasedIds erased = new ErasedIds(KEY, Map.of(), Map.of(), Map.of(sha, ERASED));

    assertThat(erased.drops("carol", null, BEFORE)).isTrue();
    assertThat(erased.drops(null, "carol", BEFORE)).isTrue();
    assertThat(erased.drops(null, null, BEFORE)).as("no id at all").isFalse();
    assertThat(erased.drops("dave", null, BEFORE)).isFalse();
  }
}
