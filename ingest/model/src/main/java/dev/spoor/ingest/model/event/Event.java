package dev.spoor.ingest.model.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The canonical, validated and enriched event: what the collector publishes to
 * {@code spoor.events.good} and what the lake stores, one record per event. Snowplow-canonical in
 * spirit; field names on the wire are the snake_case names below (see {@link EventJson}).
 *
 * <p>{@code properties} is the event's own JSON exactly as received (validated against
 * {@code schema}); {@code contexts} is a JSON array of self-describing {@code {schema, data}} objects.
 * Both are kept as JSON text because their shape differs per schema; the lake queries them with JSON
 * functions. {@code eventDate} is the UTC date of {@code derivedTstamp}, the lake's partition.
 */
@JsonPropertyOrder(alphabetic = false)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Event(
    @JsonProperty("event_id") String eventId,
    @JsonProperty("app_id") String appId,
    @JsonProperty("platform") String platform,
    @JsonProperty("event_name") String eventName,
    @JsonProperty("schema") String schema,
    @JsonProperty("user_id") String userId,
    @JsonProperty("domain_userid") String domainUserid,
    @JsonProperty("domain_sessionid") String domainSessionid,
    @JsonProperty("dvce_created_tstamp") Instant dvceCreatedTstamp,
    @JsonProperty("dvce_sent_tstamp") Instant dvceSentTstamp,
    @JsonProperty("true_tstamp") Instant trueTstamp,
    @JsonProperty("collector_tstamp") Instant collectorTstamp,
    @JsonProperty("derived_tstamp") Instant derivedTstamp,
    @JsonProperty("page_url") String pageUrl,
    @JsonProperty("page_referrer") String pageReferrer,
    @JsonProperty("useragent") String useragent,
    @JsonProperty("ua_browser") String uaBrowser,
    @JsonProperty("ua_browser_version") String uaBrowserVersion,
    @JsonProperty("ua_os") String uaOs,
    @JsonProperty("ua_device_class") String uaDeviceClass,
    @JsonProperty("user_ipaddress") String userIpaddress,
    @JsonProperty("properties") String properties,
    @JsonProperty("contexts") String contexts,
    @JsonProperty("event_fingerprint") String eventFingerprint,
    @JsonProperty("event_date") LocalDate eventDate,
    @JsonProperty("tracker") String tracker,
    @JsonProperty("source") String source,
    @JsonProperty("quality_flags") List<String> qualityFlags) {

  public Event {
    Objects.requireNonNull(eventId, "event_id");
    Objects.requireNonNull(eventName, "event_name");
    Objects.requireNonNull(collectorTstamp, "collector_tstamp");
    Objects.requireNonNull(derivedTstamp, "derived_tstamp");
    Objects.requireNonNull(eventFingerprint, "event_fingerprint");
    qualityFlags = qualityFlags == null ? List.of() : List.copyOf(qualityFlags);
  }

  /**
   * The Kafka key: the user id, else the domain user id, else the event id, so that one user's events
   * stay in one partition and in order.
   */
  public String partitionKey() {
    if (userId != null && !userId.isEmpty()) {
      return userId;
    }
    if (domainUserid != null && !domainUserid.isEmpty()) {
      return domainUserid;
    }
    return eventId;
  }
}
