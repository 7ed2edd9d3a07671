package dev.spoor.ingest.collector.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The active write keys and the app each authorises. A key is looked up by comparing SHA-256 digests
 * of equal length in constant time against every active key, so neither the time to answer nor the
 * key's length tells a guesser how close they came. Keys never appear in answers or bad rows: a
 * request body kept in a bad row has its {@code write_key} value redacted.
 */
final class WriteKeys {
  private static final byte[] WRITE_KEY = "write_key".getBytes(StandardCharsets.UTF_8);
  private final Map<byte[], String> apps = new LinkedHashMap<>();

  WriteKeys(Map<String, String> keyToApp) {
    keyToApp.forEach((key, app) -> apps.put(digest(key), app));
  }

  /** The app of {@code key}, or null when it is not an active key. */
  String app(String key) {
    if (key == null) {
      return null;
    }
    byte[] candidate = digest(key);
    String found = null;
    for (Map.Entry<byte[], String> entry : apps.entrySet()) {
      if (MessageDigest.isEqual(entry.getKey(), candidate)) { // every key is compared, match or not
        found = entry.getValue();
      }
    }
    return found;
  }

  /** The body with every {@code "write_key": "…"} value replaced by {@code [redacted]}. */
  static byte[] redacted(byte[] body) {
    if (indexOf(body, WRITE_KEY) < 0) {
      return body;
    }
    String text = new String(body, StandardCharsets.UTF_8);
    if (!java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), body)) {
      return body; // not UTF-8: kept as base64, the key cannot be found reliably, nor read as text
    }
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    for (int at = text.indexOf("\"write_key\"", from); at >= 0; at = text.indexOf("\"write_key\"", from)) {
      int i = skipSpaces(text, at + "\"write_key\"".length());
      if (i >= text.length() || text.charAt(i) != ':') {
        out.append(text, from, i);
        from = i;
        continue;
      }
      i = skipSpaces(text, i + 1);
      if (i >= text.length() || text.charAt(i) != '"') {
        out.append(text, from, i);
        from = i;
        continue;
      }
      int end = i + 1; // a scan, not a regex: a hostile value of a megabyte of escapes costs one pass
      while (end < text.length() && text.charAt(end) != '"') {
        end += text.charAt(end) == '\\' ? 2 : 1;
      }
      out.append(text, from, i + 1).append("[redacted]");
      from = Math.min(end, text.length());
    }
    return out.append(text, from, text.length()).toString().getBytes(StandardCharsets.UTF_8);
  }

  private static int skipSpaces(String text, int i) {
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
