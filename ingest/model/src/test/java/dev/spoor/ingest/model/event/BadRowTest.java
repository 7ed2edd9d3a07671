package dev.spoor.ingest.model.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class BadRowTest {
  private static final Instant NOW = Instant.parse("2026-12-04T00:00:00Z");

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void aPayloadWithinTheLimitIsKeptWhole() {
    BadRow row = BadRow.of(FailureType.PARSE, List.of("body: malformed JSON"), "{\"a\":".getBytes(StandardCharsets.UTF_8),
        NOW, "test", null, null);

    assertThat(row.payload()).isEqualTo("{\"a\":");
    assertThat(row.payloadTruncated()).isFalse();
    assertThat(row.payloadBytes()).isEqualTo(5);
    assertThat(row.payloadSha256()).isNull();
  }

  @Test
  void aLargePayloadKeepsItsBeginningWithoutCuttingACharacterAndItsSizeAndHash() throws Exception {
    byte[] body = ("x" + "é".repeat(100_000)).getBytes(StandardCharsets.UTF_8); // 200 001 bytes: the limit falls inside an é

    BadRow row = BadRow.of(FailureType.PARSE, List.of("body: malformed JSON"), body, NOW, "test", null, null);

    assertThat(row.payloadEncoding()).isEqualTo(BadRow.UTF8);
    assertThat(row.payloadTruncated()).isTrue();
    assertThat(row.payloadBytes()).isEqualTo(200_001);
    assertThat(row.payloadSha256()).isEqualTo(sha256(body));
    assertThat(row.payload()).isEqualTo("x" + "é".repeat(BadRow.MAX_PAYLOAD_BYTES / 2 - 1));
    assertThat(EventJson.decodeBadRow(EventJson.encode(row))).isEqualTo(row);
  }

  @Test
  void aLargeBinaryPayloadKeepsItsBeginningAsBase64() throws Exception {
    byte[] body = new byte[300_000];
    Arrays.fill(body, (byte) 0xFF); // never valid UTF-8

    BadRow row = BadRow.of(FailureType.PARSE, List.of("body: not valid UTF-8"), body, NOW, "test", null, null);

    assertThat(row.payloadEncoding()).isEqualTo(BadRow.BASE64);
    assertThat(Base64.getDecoder().decode(row.payload())).hasSize(BadRow.MAX_PAYLOAD_BYTES);
    assertThat(row.payloadSha256()).isEqualTo(sha256(body));
  }

  @Test
  void aLargeTextPayloadIsBoundedToo() {
    String text = "x".repeat(1_000_000);

    BadRow row = BadRow.ofText(FailureType.SIZE, List.of("user_id: too long"), text, NOW, "test", null, null);

    assertThat(row.payload()).hasSize(BadRow.MAX_PAYLOAD_BYTES);
    assertThat(row.payloadTruncated()).isTrue();
    assertThat(row.payloadBytes()).isEqualTo(1_000_000);
  }
}
