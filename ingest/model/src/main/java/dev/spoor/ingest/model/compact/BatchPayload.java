package dev.spoor.ingest.model.compact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.FailureType;
import dev.spoor.ingest.model.pipeline.Json;
import dev.spoor.ingest.model.pipeline.ParsedEvent;
import dev.spoor.ingest.model.pipeline.RawEvent;
import dev.spoor.ingest.model.pipeline.RequestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Spoor's own batch formats, for lightweight clients (and {@code navigator.sendBeacon}, which can only
 * send a body): an envelope with the write key, the device's send time and metadata shared by all
 * events, and the events themselves.
 *
 * <pre>{@code
 * {"write_key": "wk_…", "sent_at": 1763772000000,
 *  "meta": {"app_id": "shop", "platform": "web", "user_id": "u-1", "domain_userid": "d-1",
 *           "domain_sessionid": "s-1", "page_url": "https://shop.example/p/1"},
 *  "events": [ … ]}
 * }</pre>
 *
 * <p>{@link Format#COMPACT} ({@code POST /v1/batch}) events are arrays laid out by
 * {@link CompactLayouts}: {@code [name, event_id|null, created_ms|null, [values…], {meta overrides}?]}.
 * {@link Format#OBJECTS} ({@code POST /v1/events}) events are objects: {@code {"event": name,
 * "schema": "iglu:…" (optional when a layout names it), "event_id": …, "created_at": ms,
 * "properties": {…}, …meta overrides}}.
 */
public final class BatchPayload {
  /** Fields of {@code meta} (and of per-event overrides). */
  public static final Set<String> META_FIELDS = Set.of("app_id", "platform", "user_id", "domain_userid",
      "domain_sessionid", "page_url", "page_referrer", "useragent");
  private static final Set<String> OBJECT_EVENT_FIELDS = Set.of("event", "schema", "event_id", "created_at",
      "properties", "contexts");

  public enum Format { COMPACT, OBJECTS }

  /** A parsed envelope: the write key it carries (may be null) and one result per event. */
  public record Batch(String writeKey, List<ParsedEvent> events) {}

  /** The envelope, or the envelope-level error that rejects the whole request. */
  public record Envelope(Batch batch, String error) {}

  private BatchPayload() {}

  /** Parses the envelope only; events are mapped by {@link #events}. */
  public static Envelope parse(byte[] body, Format format, CompactLayouts layouts, RequestContext request,
      int maxEvents) {
    Json.Result parsed = Json.parse(body, "body");
    if (!parsed.ok()) {
      return new Envelope(null, parsed.error());
    }
    JsonNode root = parsed.node();
    if (!root.isObject()) {
      return new Envelope(null, "body: expected an object {\"write_key\": …, \"meta\": {…}, \"events\": […]}");
    }
    for (var it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!Set.of("write_key", "sent_at", "meta", "events").contains(field)) {
        return new Envelope(null, field + ": unknown field (expected write_key, sent_at, meta, events)");
      }
    }
    JsonNode writeKey = root.get("write_key");
    if (writeKey != null && !writeKey.isTextual()) {
      return new Envelope(null, "write_key: expected a string");
    }
    Instant sentAt = null;
    JsonNode sent = root.get("sent_at");
    if (sent != null && !sent.isNull()) {
      if (!sent.canConvertToLong() || !sent.isIntegralNumber()) {
        return new Envelope(null, "sent_at: expected epoch milliseconds, got " + sent);
      }
      sentAt = Instant.ofEpochMilli(sent.longValue());
    }
    JsonNode meta = root.path("meta");
    if (!meta.isMissingNode() && !meta.isObject()) {
      return new Envelope(null, "meta: expected an object");
    }
    String metaError = checkMeta(meta, "meta");
    if (metaError != null) {
      return new Envelope(null, metaError);
    }
    JsonNode events = root.get("events");
    if (events == null || !events.isArray()) {
      return new Envelope(null, "events: missing or not an array");
    }
    if (events.size() > maxEvents) {
      return new Envelope(null, "events: " + events.size() + " events, more than the limit of " + maxEvents);
    }
    List<ParsedEvent> results = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      results.add(format == Format.COMPACT
          ? compact(events.get(i), i, meta, sentAt, layouts, request)
          : object(events.get(i), i, meta, sentAt, layouts, request));
    }
    return new Envelope(new Batch(writeKey == null ? null : writeKey.textValue(), results), null);
  }

  private static String checkMeta(JsonNode meta, String where) {
    for (var it = meta.fields(); it.hasNext(); ) {
      var field = it.next();
      if (!META_FIELDS.contains(field.getKey())) {
        return where + "." + field.getKey() + ": unknown field (allowed: " + String.join(", ", new java.util.TreeSet<>(META_FIELDS)) + ")";
      }
      if (!field.getValue().isTextual() && !field.getValue().isNull()) {
        return where + "." + field.getKey() + ": expected a string";
      }
    }
    return null;
  }

  private static ParsedEvent compact(JsonNode node, int index, JsonNode meta, Instant sentAt,
      CompactLayouts layouts, RequestContext request) {
    String at = "events[" + index + "]";
    String text = Json.write(node);
    List<String> errors = new ArrayList<>();
    if (!node.isArray() || node.size() < 4 || node.size() > 5) {
      return reject(request, List.of(at + ": expected [name, event_id, created_ms, [values…], {overrides}?]"), text, meta, null);
    }
    String name = node.get(0).isTextual() ? node.get(0).textValue() : null;
    if (name == null) {
      errors.add(at + "[0]: the event name must be a string");
    }
    String eventId = textOrNull(node.get(1), at + "[1] (event_id)", errors);
    Instant created = millisOrNull(node.get(2), at + "[2] (created_ms)", errors);
    JsonNode values = node.get(3);
    JsonNode overrides = node.size() == 5 ? node.get(4) : JsonNodeFactory.instance.objectNode();
    if (!overrides.isObject()) {
      errors.add(at + "[4]: overrides must be an object");
    } else {
      String bad = checkMeta(overrides, at + "[4]");
      if (bad != null) {
        errors.add(bad);
      }
    }
    ObjectNode properties = JsonNodeFactory.instance.objectNode();
    CompactLayouts.Layout layout = null;
    if (name != null) {
      layout = layouts.forEvent(name).orElse(null);
      if (layout == null) {
        return new ParsedEvent.Rejected(BadRow.ofText(FailureType.SCHEMA,
            List.of(at + "[0]: no compact layout for '" + name + "' (declared: "
                + String.join(", ", new java.util.TreeSet<>(layouts.eventNames())) + ")"),
            text, request.collectorTstamp(), request.source(), meta.path("app_id").asText(null), eventId));
      }
      if (!values.isArray() || values.size() != layout.fields().size()) {
        errors.add(at + "[3]: expected " + layout.fields().size() + " values " + layout.fields() + ", got "
            + (values.isArray() ? values.size() : values.getNodeType().name().toLowerCase()));
      } else {
        for (int f = 0; f < layout.fields().size(); f++) {
          if (!values.get(f).isNull()) {
            properties.set(layout.fields().get(f), values.get(f));
          }
        }
      }
    }
    if (!errors.isEmpty()) {
      return reject(request, errors, text, meta, eventId);
    }
    return new ParsedEvent.Ok(raw(request, meta, overrides, name, layout.schema().toUri(), eventId, created,
        sentAt, properties, null, node, text));
  }

  private static ParsedEvent object(JsonNode node, int index, JsonNode meta, Instant sentAt,
      CompactLayouts layouts, RequestContext request) {
    String at = "events[" + index + "]";
    String text = Json.write(node);
    if (!node.isObject()) {
      return reject(request, List.of(at + ": expected an object {\"event\": …, \"properties\": {…}}"), text, meta, null);
    }
    List<String> errors = new ArrayList<>();
    ObjectNode overrides = JsonNodeFactory.instance.objectNode();
    for (var it = node.fields(); it.hasNext(); ) {
      var field = it.next();
      if (META_FIELDS.contains(field.getKey())) {
        overrides.set(field.getKey(), field.getValue());
      } else if (!OBJECT_EVENT_FIELDS.contains(field.getKey())) {
        errors.add(at + "." + field.getKey() + ": unknown field");
      }
    }
    String bad = checkMeta(overrides, at);
    if (bad != null) {
      errors.add(bad);
    }
    String name = textOrNull(node.get("event"), at + ".event", errors);
    if (name == null) {
      errors.add(at + ".event: missing");
    }
    String eventId = textOrNull(node.get("event_id"), at + ".event_id", errors);
    Instant created = millisOrNull(node.get("created_at"), at + ".created_at", errors);
    String schema = textOrNull(node.get("schema"), at + ".schema", errors);
    if (schema == null && name != null) {
      schema = layouts.forEvent(name).map(l -> l.schema().toUri()).orElse(null);
      if (schema == null) {
        errors.add(at + ".schema: missing, and no layout declares a schema for '" + name + "'");
      }
    }
    JsonNode properties = node.path("properties");
    if (properties.isMissingNode()) {
      properties = JsonNodeFactory.instance.objectNode();
    } else if (!properties.isObject()) {
      errors.add(at + ".properties: expected an object");
    }
    JsonNode contexts = node.get("contexts");
    if (contexts != null && !contexts.isArray()) {
      errors.add(at + ".contexts: expected an array of {\"schema\": …, \"data\": …}");
    }
    if (!errors.isEmpty()) {
      return reject(request, errors, text, meta, eventId);
    }
    return new ParsedEvent.Ok(raw(request, meta, overrides, name, schema, eventId, created, sentAt,
        properties, (ArrayNode) contexts, node, text));
  }

  private static RawEvent raw(RequestContext request, JsonNode meta, JsonNode overrides, String name,
      String schema, String eventId, Instant created, Instant sentAt, JsonNode properties, ArrayNode contexts,
      JsonNode event, String text) {
    ObjectNode merged = JsonNodeFactory.instance.objectNode();
    meta.fields().forEachRemaining(f -> merged.set(f.getKey(), f.getValue()));
    overrides.fields().forEachRemaining(f -> merged.set(f.getKey(), f.getValue()));
    ObjectNode fingerprintSource = merged.deepCopy();
    fingerprintSource.set("event", event);
    String userAgent = merged.hasNonNull("useragent") ? merged.get("useragent").textValue() : request.userAgent();
    return new RawEvent(request.source(), eventId, text(merged, "app_id"),
        merged.hasNonNull("platform") ? merged.get("platform").textValue() : "web", name, schema,
        text(merged, "user_id"), text(merged, "domain_userid"), text(merged, "domain_sessionid"),
        created, sentAt, null, request.collectorTstamp(), text(merged, "page_url"), text(merged, "page_referrer"),
        userAgent, request.ipAddress(), properties, contexts, "spoor-batch", fingerprintSource, text);
  }

  private static ParsedEvent.Rejected reject(RequestContext request, List<String> errors, String text,
      JsonNode meta, String eventId) {
    return new ParsedEvent.Rejected(BadRow.ofText(FailureType.PARSE, errors, text, request.collectorTstamp(),
        request.source(), meta.path("app_id").asText(null), eventId));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
  }

  private static String textOrNull(JsonNode node, String field, List<String> errors) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      errors.add(field + ": expected a string");
      return null;
    }
    return node.textValue();
  }

  private static Instant millisOrNull(JsonNode node, String field, List<String> errors) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      errors.add(field + ": expected epoch milliseconds, got " + node);
      return null;
    }
    return Instant.ofEpochMilli(node.longValue());
  }
}
