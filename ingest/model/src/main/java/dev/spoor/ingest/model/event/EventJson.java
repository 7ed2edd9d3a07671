package dev.spoor.ingest.model.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The wire encoding of {@link Event} and {@link BadRow} on Kafka: one UTF-8 JSON object per record,
 * snake_case field names, timestamps as ISO-8601 UTC strings, dates as {@code yyyy-MM-dd}, absent
 * values as {@code null}. JSON was chosen over Avro because the dead-letter topic must be readable by
 * people and tools without a registry, Spark's {@code from_json} with an explicit schema reads it
 * directly, and {@code properties} differ per event type anyway; the landing benchmark measures its
 * cost. Thread-safe.
 */
public final class EventJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private EventJson() {}

  public static byte[] encode(Event event) {
    return write(event);
  }

  public static byte[] encode(BadRow badRow) {
    return write(badRow);
  }

  public static Event decodeEvent(byte[] json) {
    return read(json, Event.class);
  }

  public static BadRow decodeBadRow(byte[] json) {
    return read(json, BadRow.class);
  }

  private static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("events always serialise; this is a bug", e);
    }
  }

  private static <T> T read(byte[] json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException("not a Spoor " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
