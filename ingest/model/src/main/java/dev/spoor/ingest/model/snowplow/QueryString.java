package dev.spoor.ingest.model.snowplow;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Strict decoding of an {@code application/x-www-form-urlencoded} query string: a malformed
 * percent-escape or bytes that are not UTF-8 make the whole string invalid instead of being silently
 * replaced, so a corrupt pixel request becomes a bad row rather than a wrong event.
 */
public final class QueryString {
  private QueryString() {}

  /** The parameters (the first value of a repeated name wins), or an error naming the parameter. */
  public record Decoded(Map<String, String> params, String error) {}

  public static Decoded decode(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return new Decoded(params, null);
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String rawName = eq < 0 ? pair : pair.substring(0, eq);
      String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
      Optional<String> name = component(rawName);
      if (name.isEmpty()) {
        return new Decoded(Map.of(), "query string: invalid percent-encoding or UTF-8 in a parameter name");
      }
      Optional<String> value = component(rawValue);
      if (value.isEmpty()) {
        return new Decoded(Map.of(), name.get() + ": invalid percent-encoding or UTF-8 in its value");
      }
      params.putIfAbsent(name.get(), value.get());
    }
    return new Decoded(params, null);
  }

  static Optional<String> component(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%') {
        if (i + 2 >= raw.length()) {
          return Optional.empty();
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return Optional.empty();
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c < 0x100) {
        // HTTP servers hand over the request line byte by byte (ISO-8859-1): one char, one byte.
        bytes.write(c);
      } else {
        return Optional.empty();
      }
    }
    return dev.spoor.ingest.model.pipeline.Json.utf8(bytes.toByteArray());
  }
}
