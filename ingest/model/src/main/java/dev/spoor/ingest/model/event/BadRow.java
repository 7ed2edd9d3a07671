package dev.spoor.ingest.model.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A rejected event or request, published to {@code spoor.events.bad} so that every rejection can be
 * found with its reason. {@code payload} holds the original bytes: as text when they are valid UTF-8,
 * otherwise base64 ({@code payload_encoding} says which); of a payload over {@link #MAX_PAYLOAD_BYTES}
 * only the beginning ({@code payload_truncated}, with {@code payload_bytes} and {@code payload_sha256}
 * of the whole). {@code errors} are human readable and name the field at fault.
 */
public record BadRow(
    @JsonProperty("failure_type") FailureType failureType,
    @JsonProperty("errors") List<String> errors,
    @JsonProperty("payload") String payload,
    @JsonProperty("payload_encoding") String payloadEncoding,
    @JsonProperty("collector_tstamp") Instant collectorTstamp,
    @JsonProperty("source") String source,
    @JsonProperty("app_id") String appId,
    @JsonProperty("event_id") String eventId,
    @JsonProperty("payload_truncated") boolean payloadTruncated,
    @JsonProperty("payload_bytes") long payloadBytes,
    @JsonProperty("payload_sha256") String payloadSha256) {

  public static final String UTF8 = "utf-8";
  public static final String BASE64 = "base64";
  /** The most of a payload a bad row keeps (bytes of the original); the rest is represented by its size and hash. */
  public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

  public BadRow {
    Objects.requireNonNull(failureType, "failure_type");
    Objects.requireNonNull(collectorTstamp, "collector_tstamp");
    errors = List.copyOf(errors);
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a bad row needs at least one reason");
    }
  }

  /**
   * A bad row for raw bytes: kept as text if they are valid UTF-8, as base64 otherwise; beyond
   * {@link #MAX_PAYLOAD_BYTES} only their beginning is kept (never cutting a character), flagged, with
   * the whole payload's size and SHA-256, so a bad row always fits in a Kafka record.
   */
  public static BadRow of(FailureType type, List<String> errors, byte[] payload, Instant collectorTstamp,
      String source, String appId, String eventId) {
    boolean truncated = payload.length > MAX_PAYLOAD_BYTES;
    String sha256 = truncated ? sha256(payload) : null;
    byte[] kept = truncated ? Arrays.copyOf(payload, utf8Boundary(payload, MAX_PAYLOAD_BYTES)) : payload;
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(kept)).toString();
      return new BadRow(type, errors, text, UTF8, collectorTstamp, source, appId, eventId, truncated, payload.length, sha256);
    } catch (CharacterCodingException e) {
      byte[] raw = truncated ? Arrays.copyOf(payload, MAX_PAYLOAD_BYTES) : payload;
      return new BadRow(type, errors, Base64.getEncoder().encodeToString(raw), BASE64,
          collectorTstamp, source, appId, eventId, truncated, payload.length, sha256);
    }
  }

  /** A bad row for a payload that is already text (a tracker event re-serialised, a JSON element), bounded as {@link #of}. */
  public static BadRow ofText(FailureType type, List<String> errors, String payload, Instant collectorTstamp,
      String source, String appId, String eventId) {
    if (payload == null) {
      return new BadRow(type, errors, null, UTF8, collectorTstamp, source, appId, eventId, false, 0, null);
    }
    if (payload.length() * 3L <= MAX_PAYLOAD_BYTES) { // at most three bytes per char: short enough as it is
      return new BadRow(type, errors, payload, UTF8, collectorTstamp, source, appId, eventId, false,
          payload.getBytes(StandardCharsets.UTF_8).length, null);
    }
    return of(type, errors, payload.getBytes(StandardCharsets.UTF_8), collectorTstamp, source, appId, eventId);
  }

  /** The largest length up to {@code max} that does not end inside a UTF-8 sequence. */
  private static int utf8Boundary(byte[] bytes, int max) {
    int end = max;
    while (end > 0 && end > max - 4 && (bytes[end] & 0xC0) == 0x80) {
      end--; // bytes[end] continues a character that started before it
    }
    return end;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
