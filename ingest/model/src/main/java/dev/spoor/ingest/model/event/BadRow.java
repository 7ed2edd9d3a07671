package dev.spoor.ingest.model.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A rejected event or request, published to {@code spoor.events.bad} so that every rejection can be
 * found with its reason. {@code payload} holds the original bytes: as text when they are valid UTF-8,
 * otherwise base64 ({@code payload_encoding} says which). {@code errors} are human readable and name
 * the field at fault.
 */
public record BadRow(
    @JsonProperty("failure_type") FailureType failureType,
    @JsonProperty("errors") List<String> errors,
    @JsonProperty("payload") String payload,
    @JsonProperty("payload_encoding") String payloadEncoding,
    @JsonProperty("collector_tstamp") Instant collectorTstamp,
    @JsonProperty("source") String source,
    @JsonProperty("app_id") String appId,
    @JsonProperty("event_id") String eventId) {

  public static final String UTF8 = "utf-8";
  public static final String BASE64 = "base64";

  public BadRow {
    Objects.requireNonNull(failureType, "failure_type");
    Objects.requireNonNull(collectorTstamp, "collector_tstamp");
    errors = List.copyOf(errors);
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a bad row needs at least one reason");
    }
  }

  /** A bad row for raw bytes: kept as text if they are valid UTF-8, as base64 otherwise. */
  public static BadRow of(FailureType type, List<String> errors, byte[] payload, Instant collectorTstamp,
      String source, String appId, String eventId) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload)).toString();
      return new BadRow(type, errors, text, UTF8, collectorTstamp, source, appId, eventId);
    } catch (CharacterCodingException e) {
      return new BadRow(type, errors, Base64.getEncoder().encodeToString(payload), BASE64,
          collectorTstamp, source, appId, eventId);
    }
  }

  /** A bad row for a payload that is already text (a tracker event re-serialised, a JSON element). */
  public static BadRow ofText(FailureType type, List<String> errors, String payload, Instant collectorTstamp,
      String source, String appId, String eventId) {
    return new BadRow(type, errors, payload, UTF8, collectorTstamp, source, appId, eventId);
  }
}
