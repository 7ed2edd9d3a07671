package dev.spoor.ingest.model.event;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why an event or a request was rejected; the {@code failure_type} of a bad row. */
public enum FailureType {
  /** Not parseable: malformed JSON, truncated body, invalid base64 or UTF-8, missing required field. */
  PARSE,
  /** Parsed, but its data or a context violates its JSON Schema, or the schema is unknown. */
  SCHEMA,
  /** An enrichment could not be applied (for example an event id that is not a UUID). */
  ENRICHMENT,
  /** Missing or wrong write key. */
  AUTH,
  /** Origin not on the allowlist. */
  ORIGIN,
  /** Body or batch over the configured limits. */
  SIZE,
  /** Content type the endpoint does not accept. */
  CONTENT_TYPE;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
