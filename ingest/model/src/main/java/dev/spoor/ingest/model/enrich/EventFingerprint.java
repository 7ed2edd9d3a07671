package dev.spoor.ingest.model.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A hash of what an event says, used with its event id to recognise duplicates that at-least-once
 * delivery creates. Fields that legitimately differ between two deliveries of one event (the send time,
 * the event id that a retry may re-mint, …) are excluded by configuration. Object keys are sorted at
 * every level, so the fingerprint does not depend on field order; array order is kept, since it is
 * meaningful. SHA-256, truncated to 128 bits, hex. Stateless and thread-safe.
 */
public final class EventFingerprint {
  private final Set<String> excluded;

  public EventFingerprint(Set<String> excludedTopLevelFields) {
    this.excluded = Set.copyOf(excludedTopLevelFields);
  }

  public String of(ObjectNode payload) {
    StringBuilder canonical = new StringBuilder(256);
    List<String> names = new ArrayList<>();
    payload.fieldNames().forEachRemaining(names::add);
    Collections.sort(names);
    canonical.append('{');
    for (String name : names) {
      if (excluded.contains(name)) {
        continue;
      }
      appendString(canonical, name);
      canonical.append(':');
      append(canonical, payload.get(name));
      canonical.append(',');
    }
    canonical.append('}');
    return hash(canonical.toString());
  }

  private static void append(StringBuilder out, JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      out.append('{');
      for (String name : names) {
        appendString(out, name);
        out.append(':');
        append(out, object.get(name));
        out.append(',');
      }
      out.append('}');
    } else if (node instanceof ArrayNode array) {
      out.append('[');
      for (JsonNode element : array) {
        append(out, element);
        out.append(',');
      }
      out.append(']');
    } else if (node.isTextual()) {
      appendString(out, node.textValue());
    } else {
      out.append(node.toString());
    }
  }

  private static void appendString(StringBuilder out, String value) {
    out.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
  }

  private static String hash(String canonical) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
