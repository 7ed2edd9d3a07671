package dev.spoor.lake.erasure;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Whether a bad row's payload names an id, as a whole value after decoding: JSON strings
 * (escapes resolved, also in JSON cut short), query-string values (percent-decoded, as a tracker's
 * {@code uid} or {@code duid}), and base64 or base64url values holding JSON (a tracker's {@code cx} or
 * {@code ue_px}), nested as trackers nest them. A value that merely contains an id (another user's
 * {@code alice@example.com.au} for {@code alice@example.com}) does not name it.
 */
public final class PayloadIds {
  private static final JsonFactory JSON = new JsonFactory();
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_-]{8,}={0,2}");
  private static final int MAX_DEPTH = 4;

  private PayloadIds() {}

  /**
   * Whether a decoded value of the payload (as stored: {@code payload_encoding} {@code base64} for
   * bytes that are not UTF-8) is an id, as {@code isId} tells.
   */
  public static boolean names(String payload, String encoding, Predicate<String> ids) {
    if (payload == null) {
      return false;
    }
    if ("base64".equals(encoding)) {
      // Stored as base64 because the bytes are not all UTF-8: what is readable is searched.
      byte[] bytes;
      try {
        bytes = Base64.getMimeDecoder().decode(payload);
      } catch (IllegalArgumentException notBase64) {
        return mentions(payload, ids, 0);
      }
      return mentions(new String(bytes, StandardCharsets.UTF_8), ids, 0);
    }
    return mentions(payload, ids, 0);
  }

  private static boolean mentions(String value, Predicate<String> ids, int depth) {
    if (ids.test(value)) {
      return true;
    }
    if (depth >= MAX_DEPTH) {
      return false;
    }
    String text = value.strip();
    if (text.startsWith("{") || text.startsWith("[")) {
      return jsonMentions(text, ids, depth);
    }
    // A query string: the payload itself (a tracker's GET), or a URL inside it (a page URL's ?uid=).
    if (text.contains("=") && (depth == 0 || text.contains("?"))) {
      String query = text.contains("?") ? text.substring(text.indexOf('?') + 1) : text;
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq >= 0 && mentions(percentDecoded(pair.substring(eq + 1)), ids, depth + 1)) {
          return true;
        }
      }
      return false;
    }
    if (BASE64.matcher(text).matches()) {
      return base64Text(text).filter(decoded -> decoded.strip().startsWith("{") || decoded.strip().startsWith("["))
          .map(decoded -> mentions(decoded, ids, depth + 1)).orElse(false);
    }
    return false;
  }

  /** Every string value of the JSON up to where it ends or breaks off. */
  private static boolean jsonMentions(String text, Predicate<String> ids, int depth) {
    try (JsonParser parser = JSON.createParser(text)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.VALUE_STRING && mentions(parser.getText(), ids, depth + 1)) {
          return true;
        }
      }
    } catch (IOException cutShort) {
      // a bad row's JSON is often broken: what was read before the break has been searched
    }
    return false;
  }

  private static String percentDecoded(String value) {
    try {
      return URLDecoder.decode(value, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return value;
    }
  }

  /** Standard or URL-safe base64, padded or not, decoding to valid UTF-8; empty otherwise. */
  private static Optional<String> base64Text(String value) {
    String standard = value.strip().replace('-', '+').replace('_', '/');
    try {
      byte[] bytes = Base64.getMimeDecoder().decode(standard);
      return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
    } catch (IllegalArgumentException | CharacterCodingException notBase64) {
      return Optional.empty();
    }
  }
}
