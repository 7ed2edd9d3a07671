package dev.spoor.ingest.model.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The longest value each field of an event may have, in characters (Snowplow's atomic event schema is
 * the reference), and the other bounds every event keeps: numbers finite, number texts short. Over a
 * limit an event is a bad row naming the field, except the user agent, which is truncated (and
 * flagged) before it is parsed: browsers send long ones, and a parser's cache keyed by them would
 * grow with every distinct one.
 */
public final class FieldLimits {
  /** Characters of a user agent kept (and parsed); the rest is dropped and the event flagged. */
  public static final int USER_AGENT = 1000;
  /** Characters of a number sent as text (e.g. Snowplow's {@code se_va}), checked before it is parsed. */
  public static final int NUMBER_TEXT = 64;
  private static final BigDecimal LARGEST = BigDecimal.valueOf(Double.MAX_VALUE);

  /** Field (as named in the lake) → longest value. */
  public static final Map<String, Integer> LONGEST = Map.ofEntries(
      Map.entry("app_id", 255), Map.entry("platform", 255), Map.entry("event_name", 1000),
      Map.entry("schema", 1000), Map.entry("user_id", 255), Map.entry("domain_userid", 128),
      Map.entry("domain_sessionid", 128), Map.entry("page_url", 4096), Map.entry("page_referrer", 4096),
      Map.entry("v_tracker", 100));

  private FieldLimits() {}

  /** Adds an error if {@code value} is longer than its field allows. */
  static void checkLength(String field, String value, List<String> errors) {
    int longest = LONGEST.get(field);
    if (value != null && value.length() > longest) {
      errors.add(field + ": " + value.length() + " characters, at most " + longest);
    }
  }

  /** A user agent cut to {@link #USER_AGENT} characters (never inside a surrogate pair); null stays null. */
  static String truncatedUserAgent(String value) {
    if (value == null || value.length() <= USER_AGENT) {
      return value;
    }
    int end = Character.isHighSurrogate(value.charAt(USER_AGENT - 1)) ? USER_AGENT - 1 : USER_AGENT;
    return value.substring(0, end);
  }

  /** Adds an error for every number in {@code node} (at {@code path}) that is not a finite double. */
  static void checkFinite(JsonNode node, String path, List<String> errors) {
    if (node == null) {
      return;
    }
    if (node.isNumber()) {
      boolean finite = node.isBigDecimal() ? node.decimalValue().abs().compareTo(LARGEST) <= 0
          : node.isBigInteger() ? new BigDecimal(node.bigIntegerValue()).abs().compareTo(LARGEST) <= 0
          : Double.isFinite(node.doubleValue());
      if (!finite) {
        errors.add(path + ": not a finite number");
      }
    } else if (node.isObject()) {
      node.fields().forEachRemaining(f -> checkFinite(f.getValue(), path + "." + f.getKey(), errors));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkFinite(node.get(i), path + "[" + i + "]", errors);
      }
    }
  }
}
