package dev.spoor.ingest.model.snowplow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spoor.ingest.model.pipeline.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of a Snowplow POST ({@code /com.snowplowanalytics.snowplow/tp2}): a self-describing
 * {@code payload_data} envelope whose {@code data} array holds one object of tracker parameters per
 * event. Parameter values are strings in the protocol; numbers and booleans are accepted as their text.
 */
public final class PayloadData {
  static final String ENVELOPE_PREFIX = "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/";

  private PayloadData() {}

  /** One element of {@code data}: its parameters, or why it is not an event, and its text. */
  public record Element(Map<String, String> params, String error, String text) {}

  /** The elements of the envelope, or the envelope-level error (then the whole body is rejected). */
  public record Envelope(List<Element> elements, String error) {}

  public static Envelope parse(byte[] body) {
    Json.Result parsed = Json.parse(body, "body");
    if (!parsed.ok()) {
      return new Envelope(List.of(), parsed.error());
    }
    JsonNode root = parsed.node();
    if (!root.isObject()) {
      return new Envelope(List.of(), "body: expected a payload_data object {\"schema\": …, \"data\": [ … ]}");
    }
    String schema = root.path("schema").asText("");
    if (root.has("schema") && !schema.startsWith(ENVELOPE_PREFIX)) {
      return new Envelope(List.of(), "schema: expected " + ENVELOPE_PREFIX + "…, got '" + schema + "'");
    }
    JsonNode data = root.get("data");
    if (data == null || !data.isArray()) {
      return new Envelope(List.of(), "data: missing or not an array of events");
    }
    List<Element> elements = new ArrayList<>(data.size());
    for (int i = 0; i < data.size(); i++) {
      JsonNode element = data.get(i);
      String text = Json.write(element);
      if (!element.isObject()) {
        elements.add(new Element(Map.of(), "data[" + i + "]: not an object of tracker parameters", text));
        continue;
      }
      Map<String, String> params = new LinkedHashMap<>();
      String error = null;
      var fields = element.fields();
      while (fields.hasNext()) {
        var field = fields.next();
        JsonNode value = field.getValue();
        if (value.isValueNode() && !value.isNull()) {
          params.put(field.getKey(), value.asText());
        } else if (!value.isNull()) {
          error = "data[" + i + "]." + field.getKey() + ": expected a string, got " + value.getNodeType().name().toLowerCase();
        }
      }
      elements.add(new Element(params, error, text));
    }
    return new Envelope(elements, null);
  }
}
