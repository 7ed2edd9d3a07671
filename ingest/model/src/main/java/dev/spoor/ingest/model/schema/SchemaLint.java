package dev.spoor.ingest.model.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Checks a directory of Iglu schemas the way {@code igluctl lint} does, before a collector loads them:
 * each file is laid out as {@code vendor/name/jsonschema/M-R-A}, is JSON, is self-describing (Iglu's
 * meta-schema URI and a {@code self} that names its own path), is a valid draft 4 JSON Schema (checked
 * against the draft 4 meta-schema, then compiled) of an object, keeps its bounds consistent
 * ({@code minimum ≤ maximum}, {@code minLength ≤ maxLength}, {@code minItems ≤ maxItems}) and
 * requires only properties it defines when it allows no others; and the versions of each schema
 * follow one another without a gap (1-0-0, 1-0-1, 1-1-0, 2-0-0: the first one shipped may be a later
 * version, as Spoor ships only the versions trackers send).
 */
public final class SchemaLint {
  /** The meta-schema every self-describing Iglu schema declares. */
  public static final String SELF_DESCRIBING =
      "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
  private static final JsonSchema DRAFT_4 = draft4MetaSchema();

  /** One problem: the file (relative to the linted directory) and what is wrong with it. */
  public record Problem(String file, String reason) {
    @Override
    public String toString() {
      return file + ": " + reason;
    }
  }

  private SchemaLint() {}

  private static JsonSchema draft4MetaSchema() {
    try (InputStream in = JsonSchemaFactory.class.getClassLoader().getResourceAsStream("draft-04/schema")) {
      if (in == null) {
        throw new IllegalStateException("json-schema-validator no longer ships draft-04/schema");
      }
      return FACTORY.getSchema(MAPPER.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every problem of the schemas under {@code root}, in file order; none means the directory is clean. */
  public static List<Problem> lint(Path root) throws IOException {
    List<Problem> problems = new ArrayList<>();
    Map<String, TreeMap<Version, String>> versions = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        String relative = root.relativize(file).toString().replace('\\', '/');
        if (relative.startsWith(".") || relative.endsWith(".md")) {
          continue;
        }
        var key = SchemaKey.parse("iglu:" + relative);
        if (key.isEmpty() || !key.get().format().equals("jsonschema")) {
          problems.add(new Problem(relative, "not laid out as VENDOR/NAME/jsonschema/MODEL-REVISION-ADDITION"));
          continue;
        }
        versions.computeIfAbsent(key.get().vendor() + "/" + key.get().name(), k -> new TreeMap<>())
            .put(Version.parse(key.get().version()), relative);
        problems.addAll(file(relative, Files.readString(file), key.get()));
      }
    }
    versions.forEach((schema, shipped) -> problems.addAll(gaps(shipped)));
    return problems;
  }

  /** The problems of one schema file's text, whose path names {@code key}. */
  static List<Problem> file(String relative, String text, SchemaKey key) {
    List<Problem> problems = new ArrayList<>();
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      return List.of(new Problem(relative, "not JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ": "
          + e.getOriginalMessage() + ")"));
    }
    if (!(node instanceof ObjectNode schema)) {
      return List.of(new Problem(relative, "not a JSON object"));
    }
    if (!SELF_DESCRIBING.equals(schema.path("$schema").asText(null))) {
      problems.add(new Problem(relative, "$schema must be " + SELF_DESCRIBING + " (a self-describing Iglu schema)"));
    }
    JsonNode self = schema.path("self");
    String declared = "iglu:" + self.path("vendor").asText("?") + "/" + self.path("name").asText("?") + "/"
        + self.path("format").asText("?") + "/" + self.path("version").asText("?");
    if (!declared.equals(key.toUri())) {
      problems.add(new Problem(relative, "self says " + declared + " but the path says " + key.toUri()));
    }
    ObjectNode body = schema.deepCopy();
    body.remove("$schema");
    body.remove("self");
    Set<ValidationMessage> invalid = DRAFT_4.validate(body);
    if (!invalid.isEmpty()) {
      invalid.stream().map(m -> "not a valid draft 4 JSON Schema: " + m.getMessage()).sorted()
          .forEach(reason -> problems.add(new Problem(relative, reason)));
      return problems;
    }
    try {
      FACTORY.getSchema(body);
    } catch (RuntimeException e) {
      problems.add(new Problem(relative, "not a valid JSON Schema: " + e.getMessage()));
      return problems;
    }
    if (!"object".equals(body.path("type").asText(null))) {
      problems.add(new Problem(relative, "the root must be of type object (an event's or a context's data)"));
    }
    bounds(body, "$", relative, problems);
    return problems;
  }

  /** Bounds that no value can meet, and required properties that cannot exist, anywhere in the schema. */
  private static void bounds(JsonNode node, String at, String relative, List<Problem> problems) {
    if (!node.isObject()) {
      if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          bounds(node.get(i), at + "[" + i + "]", relative, problems);
        }
      }
      return;
    }
    for (String[] pair : new String[][] {{"minimum", "maximum"}, {"minLength", "maxLength"}, {"minItems", "maxItems"},
        {"minProperties", "maxProperties"}}) {
      JsonNode min = node.get(pair[0]);
      JsonNode max = node.get(pair[1]);
      if (min != null && max != null && min.isNumber() && max.isNumber() && min.decimalValue().compareTo(max.decimalValue()) > 0) {
        problems.add(new Problem(relative, at + ": " + pair[0] + " " + min + " is above " + pair[1] + " " + max));
      }
    }
    JsonNode properties = node.path("properties");
    if (node.path("additionalProperties").isBoolean() && !node.path("additionalProperties").asBoolean()
        && node.path("patternProperties").isMissingNode()) {
      for (JsonNode required : node.path("required")) {
        if (!properties.has(required.asText())) {
          problems.add(new Problem(relative, at + ": requires '" + required.asText()
              + "', which no property defines while additionalProperties is false"));
        }
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getKey().equals("enum") && !field.getKey().equals("default")) {
        bounds(field.getValue(), at + "." + field.getKey(), relative, problems);
      }
    }
  }

  /** The versions missing between two shipped versions of one schema. */
  private static List<Problem> gaps(TreeMap<Version, String> shipped) {
    List<Problem> problems = new ArrayList<>();
    Version previous = null;
    for (Map.Entry<Version, String> entry : shipped.entrySet()) {
      if (previous != null && !previous.isFollowedBy(entry.getKey())) {
        problems.add(new Problem(entry.getValue(), "version " + entry.getKey() + " follows " + previous
            + " with versions missing in between (after " + previous + " comes " + previous.nextAddition() + ", "
            + previous.nextRevision() + " or " + previous.nextModel() + ")"));
      }
      previous = entry.getKey();
    }
    return problems;
  }

  /** A SchemaVer, {@code MODEL-REVISION-ADDITION}, ordered numerically. */
  record Version(int model, int revision, int addition) implements Comparable<Version> {
    static Version parse(String text) {
      String[] parts = text.split("-");
      return new Version(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }

    boolean isFollowedBy(Version next) {
      return next.equals(nextAddition()) || next.equals(nextRevision()) || next.equals(nextModel());
    }

    Version nextAddition() {
      return new Version(model, revision, addition + 1);
    }

    Version nextRevision() {
      return new Version(model, revision + 1, 0);
    }

    Version nextModel() {
      return new Version(model + 1, 0, 0);
    }

    @Override
    public int compareTo(Version other) {
      return java.util.Comparator.comparingInt(Version::model).thenComparingInt(Version::revision)
          .thenComparingInt(Version::addition).compare(this, other);
    }

    @Override
    public String toString() {
      return model + "-" + revision + "-" + addition;
    }
  }
}
