package dev.spoor.ingest.model.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spoor.ingest.model.enrich.DerivedTimestamp;
import dev.spoor.ingest.model.enrich.EventFingerprint;
import dev.spoor.ingest.model.enrich.IpAnonymiser;
import dev.spoor.ingest.model.enrich.UserAgentParser;
import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.FailureType;
import dev.spoor.ingest.model.event.Processed;
import dev.spoor.ingest.model.schema.SchemaKey;
import dev.spoor.ingest.model.schema.SchemaRegistry;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Validates and enriches a {@link RawEvent} into an {@link Event}, or rejects it as a {@link BadRow}
 * with every reason found (not only the first). Never throws on bad input. Thread-safe: all state is
 * immutable, and the user agent parser is thread-safe.
 */
public final class EventProcessor {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final SchemaRegistry schemas;
  private final EnrichmentConfig config;
  private final EventFingerprint fingerprint;
  private final IpAnonymiser ipAnonymiser;
  private final UserAgentParser userAgents;

  public EventProcessor(SchemaRegistry schemas, EnrichmentConfig config, UserAgentParser userAgents) {
    this.schemas = schemas;
    this.config = config;
    this.fingerprint = new EventFingerprint(new HashSet<>(config.fingerprintExcludedFields()));
    this.ipAnonymiser = new IpAnonymiser(config.ipv4OctetsZeroed(), config.ipv6BitsZeroed());
    this.userAgents = userAgents;
  }

  public Processed process(RawEvent raw) {
    List<String> errors = new ArrayList<>();
    List<String> flags = new ArrayList<>();
    FailureType failure = FailureType.SCHEMA;

    String eventId = raw.eventId();
    String eventFingerprint = fingerprint.of(raw.fingerprintSource());
    if (eventId == null || eventId.isEmpty()) {
      eventId = mintedId(eventFingerprint);
      flags.add("event_id_minted");
    } else if (!isUuid(eventId)) {
      errors.add("event_id: '" + abbreviate(eventId) + "' is not a UUID");
      failure = FailureType.ENRICHMENT;
    } else {
      eventId = eventId.toLowerCase(java.util.Locale.ROOT);
    }
    if (raw.eventName() == null || raw.eventName().isEmpty()) {
      errors.add("event_name: missing");
    }
    List<String> overLimits = overLimits(raw);
    if (!overLimits.isEmpty()) {
      // Nothing else is looked at: a field this long is an attack or a bug, not an event to validate.
      errors.addAll(overLimits);
      return Processed.bad(BadRow.ofText(FailureType.SIZE, errors, raw.rawPayload(), raw.collectorTstamp(),
          raw.source(), abbreviate(String.valueOf(raw.appId())), null));
    }

    Optional<SchemaKey> key = SchemaKey.parse(raw.schemaUri());
    if (key.isEmpty()) {
      errors.add("schema: '" + abbreviate(String.valueOf(raw.schemaUri()))
          + "' is not an Iglu URI like iglu:com.acme/add_to_cart/jsonschema/1-0-0");
    } else {
      if (raw.eventName() != null && !raw.eventName().isEmpty() && !raw.eventName().equals(key.get().name())) {
        errors.add("event_name: '" + abbreviate(raw.eventName()) + "' is not the event of schema " + key.get().toUri()
            + " (" + key.get().name() + ")");
      }
      JsonNode properties = raw.properties() == null ? JsonNodeFactory.instance.objectNode() : raw.properties();
      FieldLimits.checkFinite(properties, "properties", errors);
      errors.addAll(schemas.validate(key.get(), properties, "properties"));
    }
    validateContexts(raw.contexts(), errors);

    if (!errors.isEmpty()) {
      return Processed.bad(BadRow.ofText(failure, errors, raw.rawPayload(), raw.collectorTstamp(),
          raw.source(), raw.appId(), raw.eventId()));
    }

    DerivedTimestamp.Derived derived = DerivedTimestamp.derive(raw.collectorTstamp(), raw.dvceCreated(),
        raw.dvceSent(), raw.trueTstamp(), config.maxOffline());
    flags.addAll(derived.flags());
    String ip = null;
    if (raw.ipAddress() != null) {
      ip = ipAnonymiser.anonymise(raw.ipAddress()).orElse(null);
      if (ip == null) {
        flags.add("user_ipaddress_unparseable");
      }
    }
    String useragent = FieldLimits.truncatedUserAgent(raw.useragent());
    if (useragent != null && useragent.length() < raw.useragent().length()) {
      flags.add("useragent_truncated");
    }
    UserAgentParser.ParsedUserAgent ua = userAgents.parse(useragent);
    return Processed.good(new Event(
        eventId, raw.appId(), raw.platform(), raw.eventName(), key.get().toUri(),
        raw.userId(), raw.domainUserid(), raw.domainSessionid(),
        raw.dvceCreated(), raw.dvceSent(), raw.trueTstamp(), raw.collectorTstamp(), derived.tstamp(),
        raw.pageUrl(), raw.pageReferrer(), useragent,
        ua.browser(), ua.browserVersion(), ua.os(), ua.deviceClass(), ip,
        json(raw.properties() == null ? JsonNodeFactory.instance.objectNode() : raw.properties()),
        raw.contexts() == null ? "[]" : json(raw.contexts()),
        eventFingerprint,
        derived.tstamp().atOffset(ZoneOffset.UTC).toLocalDate(),
        raw.tracker(), raw.source(), flags));
  }

  /**
   * Whether {@code id} is a UUID in its 36-character text form (hex digits, hyphens at 8, 13, 18 and
   * 23). A loop, not a regular expression: it runs for every event, and the regex was the collector's
   * largest single cost.
   */
  static boolean isUuid(String id) {
    if (id.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = id.charAt(i);
      boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
          : c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Every field longer than {@link FieldLimits} allows. */
  private static List<String> overLimits(RawEvent raw) {
    List<String> errors = new ArrayList<>();
    FieldLimits.checkLength("app_id", raw.appId(), errors);
    FieldLimits.checkLength("platform", raw.platform(), errors);
    FieldLimits.checkLength("event_name", raw.eventName(), errors);
    FieldLimits.checkLength("schema", raw.schemaUri(), errors);
    FieldLimits.checkLength("user_id", raw.userId(), errors);
    FieldLimits.checkLength("domain_userid", raw.domainUserid(), errors);
    FieldLimits.checkLength("domain_sessionid", raw.domainSessionid(), errors);
    FieldLimits.checkLength("page_url", raw.pageUrl(), errors);
    FieldLimits.checkLength("page_referrer", raw.pageReferrer(), errors);
    FieldLimits.checkLength("v_tracker", raw.tracker(), errors);
    return errors;
  }

  /**
   * The id of an event sent without one: a name-based UUID of its fingerprint, so every delivery of
   * the event (a retried request) gets the same id and both de-duplication points, which key on
   * (event_id, event_fingerprint), see the copies as one event. The price, as in Snowplow: two
   * genuinely distinct events with identical payloads (same name, properties, user and device time)
   * are one event.
   */
  static String mintedId(String eventFingerprint) {
    return UUID.nameUUIDFromBytes(("spoor:minted:" + eventFingerprint).getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString();
  }

  private void validateContexts(ArrayNode contexts, List<String> errors) {
    if (contexts == null) {
      return;
    }
    for (int i = 0; i < contexts.size(); i++) {
      JsonNode context = contexts.get(i);
      String field = "contexts[" + i + "]";
      if (!context.isObject() || !context.path("schema").isTextual() || !context.has("data")) {
        errors.add(field + ": not a self-describing {\"schema\": …, \"data\": …} object");
        continue;
      }
      Optional<SchemaKey> key = SchemaKey.parse(context.get("schema").textValue());
      if (key.isEmpty()) {
        errors.add(field + ".schema: '" + abbreviate(context.get("schema").textValue()) + "' is not an Iglu URI");
      } else {
        FieldLimits.checkFinite(context.get("data"), field + ".data", errors);
        errors.addAll(schemas.validate(key.get(), context.get("data"), field + ".data"));
      }
    }
  }

  private static String json(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree always serialises", e);
    }
  }

  static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "…";
  }
}
