package dev.spoor.ingest.model.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * An event as a protocol parser understood it, before validation and enrichment: every tracker
 * protocol (Snowplow GET/POST, compact batches, plain JSON events) is mapped to this one shape, so the
 * rules that make an event good are written once, in {@link EventProcessor}.
 *
 * @param fingerprintSource the fields as sent, from which the fingerprint is computed
 * @param rawPayload the event's original text, kept in a bad row if it is rejected
 */
public record RawEvent(
    String source,
    String eventId,
    String appId,
    String platform,
    String eventName,
    String schemaUri,
    String userId,
    String domainUserid,
    String domainSessionid,
    Instant dvceCreated,
    Instant dvceSent,
    Instant trueTstamp,
    Instant collectorTstamp,
    String pageUrl,
    String pageReferrer,
    String useragent,
    String ipAddress,
    JsonNode properties,
    ArrayNode contexts,
    String tracker,
    ObjectNode fingerprintSource,
    String rawPayload) {}
