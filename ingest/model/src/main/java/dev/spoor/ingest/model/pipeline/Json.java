package dev.spoor.ingest.model.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Strict JSON reading for untrusted input: duplicate keys, trailing garbage and invalid UTF-8 are
 * errors, numbers keep their exact decimal form (so properties are stored as sent). Returns the error
 * text instead of throwing. Thread-safe.
 */
public final class Json {
  static final ObjectMapper STRICT = JsonMapper.builder()
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();

  private Json() {}

  /** A parsed document, or the reason it is not one. */
  public record Result(JsonNode node, String error) {
    public boolean ok() {
      return node != null;
    }
  }

  public static Result parse(byte[] bytes, String what) {
    Optional<String> utf8 = utf8(bytes);
    if (utf8.isEmpty()) {
      return new Result(null, what + ": not valid UTF-8");
    }
    return parse(utf8.get(), what);
  }

  public static Result parse(String text, String what) {
    if (text.isBlank()) {
      return new Result(null, what + ": empty");
    }
    try {
      return new Result(STRICT.readTree(text), null);
    } catch (IOException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      int cut = message.indexOf("\n at [Source");
      String reason = (cut > 0 ? message.substring(0, cut) : message).replace('\n', ' ');
      String location = "";
      if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null) {
        location = " (line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr() + ")";
      }
      return new Result(null, what + ": malformed JSON" + location + ": " + reason);
    }
  }

  /** The bytes as text if they are valid UTF-8. */
  public static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  public static String write(JsonNode node) {
    try {
      return STRICT.writeValueAsString(node);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }
}
