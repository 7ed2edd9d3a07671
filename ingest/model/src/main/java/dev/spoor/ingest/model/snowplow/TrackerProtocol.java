package dev.spoor.ingest.model.snowplow;

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
import dev.spoor.ingest.model.pipeline.FieldLimits;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Snowplow tracker protocol: one event's parameters ({@code e, eid, aid, p, uid, duid, sid, dtm,
 * stm, ttm, url, refr, ua, tv, page, pp_*, se_*, ue_pr/ue_px, co/cx}) mapped to a {@link RawEvent}.
 *
 * <p>Built-in event types become Snowplow's canonical names and schemas: {@code pv} → page_view,
 * {@code pp} → page_ping, {@code se} → event ({@code iglu:com.google.analytics/event}); a
 * self-describing event ({@code ue}) takes the name and schema of its inner JSON. Contexts are the
 * inner array of the {@code contexts} envelope. Base64 fields accept the URL-safe and the standard
 * alphabet, with or without padding. Anything malformed is a bad row naming the parameter.
 */
public final class TrackerProtocol {
  public static final String PAGE_VIEW_SCHEMA = "iglu:com.snowplowanalytics.snowplow/page_view/jsonschema/1-0-0";
  public static final String PAGE_PING_SCHEMA = "iglu:com.snowplowanalytics.snowplow/page_ping/jsonschema/1-0-0";
  public static final String STRUCT_SCHEMA = "iglu:com.google.analytics/event/jsonschema/1-0-0";
  static final String UNSTRUCT_ENVELOPE = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/";
  static final String CONTEXTS_ENVELOPE = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/";

  private TrackerProtocol() {}

  /** Maps one event's tracker parameters; {@code rawPayload} is kept in a bad row if it fails. */
  public static ParsedEvent parse(Map<String, String> params, RequestContext request, String rawPayload) {
    List<String> errors = new ArrayList<>();
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    ObjectNode properties = nodes.objectNode();
    String eventName = null;
    String schema = null;

    String e = params.get("e");
    if (e == null || e.isEmpty()) {
      errors.add("e: missing (the event type: pv, pp, se or ue)");
    } else {
      switch (e) {
        case "pv" -> {
          eventName = "page_view";
          schema = PAGE_VIEW_SCHEMA;
          putText(properties, "page_title", params.get("page"));
        }
        case "pp" -> {
          eventName = "page_ping";
          schema = PAGE_PING_SCHEMA;
          putInteger(properties, "min_x", params, "pp_mix", errors);
          putInteger(properties, "max_x", params, "pp_max", errors);
          putInteger(properties, "min_y", params, "pp_miy", errors);
          putInteger(properties, "max_y", params, "pp_may", errors);
        }
        case "se" -> {
          eventName = "event";
          schema = STRUCT_SCHEMA;
          putText(properties, "category", params.get("se_ca"));
          putText(properties, "action", params.get("se_ac"));
          putText(properties, "label", params.get("se_la"));
          putText(properties, "property", params.get("se_pr"));
          String value = params.get("se_va");
          if (value != null && value.length() > FieldLimits.NUMBER_TEXT) {
            // Checked before parsing: a number of a million digits costs seconds of CPU to read.
            errors.add("se_va: a number of " + value.length() + " characters, at most " + FieldLimits.NUMBER_TEXT);
          } else if (value != null && !value.isEmpty()) {
            try {
              properties.put("value", new BigDecimal(value));
            } catch (NumberFormatException ex) {
              errors.add("se_va: '" + abbreviate(value) + "' is not a number");
            }
          }
        }
        case "ue" -> {
          Optional<JsonNode> envelope = selfDescribing(params, "ue_pr", "ue_px", UNSTRUCT_ENVELOPE, errors);
          if (envelope.isPresent()) {
            JsonNode inner = envelope.get().get("data");
            if (inner == null || !inner.isObject() || !inner.path("schema").isTextual() || !inner.has("data")) {
              errors.add(sourceName(params, "ue_pr", "ue_px") + ".data: not a self-describing {\"schema\": …, \"data\": …} object");
            } else {
              schema = inner.get("schema").textValue();
              eventName = nameOf(schema);
              properties = inner.get("data").isObject() ? (ObjectNode) inner.get("data") : null;
              if (properties == null) {
                errors.add(sourceName(params, "ue_pr", "ue_px") + ".data.data: not a JSON object");
              }
            }
          }
        }
        default -> errors.add("e: unsupported event type '" + abbreviate(e) + "' (supported: pv, pp, se, ue)");
      }
    }

    ArrayNode contexts = null;
    if (params.containsKey("co") || params.containsKey("cx")) {
      Optional<JsonNode> envelope = selfDescribing(params, "co", "cx", CONTEXTS_ENVELOPE, errors);
      if (envelope.isPresent()) {
        JsonNode data = envelope.get().get("data");
        if (data instanceof ArrayNode array) {
          contexts = array;
        } else {
          errors.add(sourceName(params, "co", "cx") + ".data: not an array of contexts");
        }
      }
    }

    Instant created = millis(params, "dtm", errors);
    Instant sent = millis(params, "stm", errors);
    Instant trueTstamp = millis(params, "ttm", errors);

    if (!errors.isEmpty()) {
      return new ParsedEvent.Rejected(BadRow.ofText(FailureType.PARSE, errors, rawPayload,
          request.collectorTstamp(), request.source(), params.get("aid"), params.get("eid")));
    }
    ObjectNode fingerprintSource = nodes.objectNode();
    params.forEach(fingerprintSource::put);
    String userAgent = params.getOrDefault("ua", request.userAgent());
    return new ParsedEvent.Ok(new RawEvent(request.source(), params.get("eid"), params.get("aid"),
        params.getOrDefault("p", "web"), eventName, schema, emptyToNull(params.get("uid")),
        emptyToNull(params.get("duid")), emptyToNull(params.get("sid")), created, sent, trueTstamp,
        request.collectorTstamp(), params.get("url"), params.get("refr"), userAgent, request.ipAddress(),
        properties, contexts, params.get("tv"), fingerprintSource, rawPayload));
  }

  /** The self-describing envelope in the JSON parameter or the base64 one, checked against its schema. */
  private static Optional<JsonNode> selfDescribing(Map<String, String> params, String jsonParam,
      String base64Param, String envelopePrefix, List<String> errors) {
    String text;
    String field;
    if (params.containsKey(jsonParam)) {
      field = jsonParam;
      text = params.get(jsonParam);
    } else {
      field = base64Param;
      Optional<String> decoded = base64(params.get(base64Param));
      if (decoded.isEmpty()) {
        errors.add(base64Param + ": not valid base64 of UTF-8 text");
        return Optional.empty();
      }
      text = decoded.get();
    }
    Json.Result parsed = Json.parse(text, field);
    if (!parsed.ok()) {
      errors.add(parsed.error());
      return Optional.empty();
    }
    JsonNode node = parsed.node();
    String schema = node.path("schema").asText("");
    if (!schema.startsWith(envelopePrefix)) {
      errors.add(field + ".schema: expected " + envelopePrefix + "…, got '" + abbreviate(schema) + "'");
      return Optional.empty();
    }
    return Optional.of(node);
  }

  static Optional<String> base64(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String urlSafe = value.trim().replace('+', '-').replace('/', '_').replace("=", "");
    try {
      return Json.utf8(Base64.getUrlDecoder().decode(urlSafe));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Instant millis(Map<String, String> params, String name, List<String> errors) {
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Instant.ofEpochMilli(Long.parseLong(value.trim()));
    } catch (NumberFormatException | java.time.DateTimeException e) {
      errors.add(name + ": '" + abbreviate(value) + "' is not a time in epoch milliseconds");
      return null;
    }
  }

  private static void putInteger(ObjectNode target, String field, Map<String, String> params, String name,
      List<String> errors) {
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      return;
    }
    try {
      target.put(field, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      errors.add(name + ": '" + abbreviate(value) + "' is not an integer");
    }
  }

  private static void putText(ObjectNode target, String field, String value) {
    if (value != null && !value.isEmpty()) {
      target.put(field, value);
    }
  }

  private static String sourceName(Map<String, String> params, String jsonParam, String base64Param) {
    return params.containsKey(jsonParam) ? jsonParam : base64Param;
  }

  /** The name part of an Iglu URI ({@code add_to_cart} of {@code iglu:com.acme/add_to_cart/…}). */
  static String nameOf(String schemaUri) {
    String[] parts = schemaUri.split("/");
    return parts.length >= 2 ? parts[1] : schemaUri;
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static String abbreviate(String value) {
    return value.length() <= 60 ? value : value.substring(0, 57) + "…";
  }
}
