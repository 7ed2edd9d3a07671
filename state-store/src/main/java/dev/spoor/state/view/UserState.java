package dev.spoor.state.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One user's state in the batch view, as published: the score and its reason codes, the segments,
 * the features (name → number, text or date as text) and the level reached in each funnel, with the
 * version (publish) it was read at. Stored as one JSON document per user ({@code b:doc}).
 */
public record UserState(String userKey, long version, Integer score, List<String> reasonCodes,
    List<String> segments, Map<String, Object> features, Map<String, Integer> funnels) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public UserState {
    reasonCodes = List.copyOf(reasonCodes);
    segments = List.copyOf(segments);
    features = java.util.Collections.unmodifiableMap(new TreeMap<>(features));
    funnels = java.util.Collections.unmodifiableMap(new TreeMap<>(funnels));
  }

  public boolean inSegment(String segment) {
    return segments.contains(segment);
  }

  /** The stored document (everything but the user key and version, which the cell carries). */
  public byte[] document() {
    ObjectNode doc = JSON.createObjectNode();
    if (score != null) {
      doc.put("score", score);
    }
    doc.set("reason_codes", JSON.valueToTree(reasonCodes));
    doc.set("segments", JSON.valueToTree(segments));
    doc.set("features", JSON.valueToTree(features));
    doc.set("funnels", JSON.valueToTree(funnels));
    try {
      return JSON.writeValueAsBytes(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a user state that cannot be written as JSON: " + userKey, e);
    }
  }

  @SuppressWarnings("unchecked")
  public static UserState parse(String userKey, long version, byte[] document) {
    try {
      Map<String, Object> doc = JSON.readValue(document, Map.class);
      Object score = doc.get("score");
      Map<String, Integer> funnels = new LinkedHashMap<>();
      ((Map<String, Object>) doc.getOrDefault("funnels", Map.of()))
          .forEach((k, v) -> funnels.put(k, ((Number) v).intValue()));
      return new UserState(userKey, version, score == null ? null : ((Number) score).intValue(),
          new ArrayList<>((List<String>) doc.getOrDefault("reason_codes", List.of())),
          new ArrayList<>((List<String>) doc.getOrDefault("segments", List.of())),
          (Map<String, Object>) doc.getOrDefault("features", Map.of()), funnels);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the stored state of " + userKey + " at version " + version
          + " is not valid JSON: " + new String(document, StandardCharsets.UTF_8), e);
    }
  }

  /** The state as one JSON object, with user key and version (what {@code bin/spoor state get} prints). */
  public String toJson() {
    try {
      ObjectNode node = (ObjectNode) JSON.readTree(document());
      ObjectNode out = JSON.createObjectNode();
      out.put("user_key", userKey);
      out.put("version", version);
      out.setAll(node);
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
