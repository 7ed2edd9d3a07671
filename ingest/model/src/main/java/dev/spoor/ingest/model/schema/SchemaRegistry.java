package dev.spoor.ingest.model.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.ingest.model.schema.iglu.IgluResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The Iglu-style schemas under {@code conf/schemas/<vendor>/<name>/jsonschema/<M-R-A>}, compiled once
 * at start-up with networknt's json-schema-validator (draft 4, as Iglu schemas are) and kept in memory,
 * so validating an event costs no I/O. A schema file must declare the key its path says
 * ({@code self}); a mismatch, invalid JSON or an invalid schema stops start-up with the file named.
 * A schema the directory does not hold is asked of the Iglu repositories, if configured
 * ({@link IgluResolver}), and compiled once. Thread-safe.
 */
public final class SchemaRegistry {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);

  private final Map<SchemaKey, JsonSchema> schemas;
  private final Optional<IgluResolver> resolver;
  /** Schemas the resolver gave, compiled once per fetched document. */
  private final Map<SchemaKey, Resolved> resolved = new ConcurrentHashMap<>();

  private record Resolved(JsonNode source, JsonSchema schema) {}

  private SchemaRegistry(Map<SchemaKey, JsonSchema> schemas, Optional<IgluResolver> resolver) {
    this.schemas = Map.copyOf(schemas);
    this.resolver = resolver;
  }

  /** Loads and compiles every schema under {@code root}. */
  public static SchemaRegistry load(Path root) {
    return load(root, Optional.empty());
  }


  /**
   * Loads and compiles every schema under {@code root}; a schema it does not hold is looked up with
   * {@code resolver} (the Iglu repositories), if there is one.
   */
  public static SchemaRegistry load(Path root, Optional<IgluResolver> resolver) {
    if (!Files.isDirectory(root)) {
      throw new InvalidConfigException("spoor.schemas.dir", root, "a directory of Iglu schemas");
    }
    Map<SchemaKey, JsonSchema> compiled = new TreeMap<>(Comparator.comparing(SchemaKey::toUri));
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String relative = root.relativize(file).toString().replace('\\', '/');
        if (relative.startsWith(".") || relative.endsWith(".md")) {
          continue;
        }
        SchemaKey key = SchemaKey.parse("iglu:" + relative).orElseThrow(() -> new InvalidConfigException(
            "spoor.schemas.dir", file, "files laid out as <vendor>/<name>/jsonschema/<M-R-A>"));
        compiled.put(key, compile(key, file));
      }
    } catch (IOException e) {
      throw new InvalidConfigException("spoor.schemas.dir", root + ": " + e.getMessage());
    }
    return new SchemaRegistry(compiled, resolver);
  }

  private static JsonSchema compile(SchemaKey key, Path file) {
    JsonNode node;
    try {
      node = MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidConfigException("spoor.schemas.dir", file + " is not valid JSON: " + e.getMessage());
    }
    return compile(key, node, file.toString());
  }

  private static JsonSchema compile(SchemaKey key, JsonNode node, String file) {
    if (!(node instanceof ObjectNode schema)) {
      throw new InvalidConfigException("spoor.schemas.dir", file + " is not a JSON object");
    }
    JsonNode self = schema.path("self");
    String declared = "iglu:" + self.path("vendor").asText() + "/" + self.path("name").asText() + "/"
        + self.path("format").asText() + "/" + self.path("version").asText();
    if (!declared.equals(key.toUri())) {
      throw new InvalidConfigException("spoor.schemas.dir", file + " declares self " + declared
          + " but its path says " + key.toUri());
    }
    // The Iglu meta-schema URI is not resolvable offline; the schemas themselves are draft 4.
    ObjectNode copy = schema.deepCopy();
    copy.remove("$schema");
    copy.remove("self");
    try {
      return FACTORY.getSchema(copy);
    } catch (RuntimeException e) {
      throw new InvalidConfigException("spoor.schemas.dir", file + " is not a valid JSON Schema: " + e.getMessage());
    }
  }

  /** Whether the schema is shipped in the schema directory (the resolver is not asked). */
  public boolean contains(SchemaKey key) {
    return schemas.containsKey(key);
  }

  public Set<SchemaKey> keys() {
    return schemas.keySet();
  }

  /**
   * Validates {@code data} against the schema {@code key}. Returns the violations, each naming the
   * field (as a JSON path under {@code fieldPrefix}); an unknown schema is one violation.
   */
  public List<String> validate(SchemaKey key, JsonNode data, String fieldPrefix) {
    Optional<JsonSchema> schema = Optional.ofNullable(schemas.get(key));
    if (schema.isEmpty() && resolver.isPresent()) {
      IgluResolver.Lookup lookup = resolver.get().resolve(key);
      if (lookup instanceof IgluResolver.Lookup.Missing missing) {
        return List.of(fieldPrefix + ": unknown schema " + key.toUri() + " (not under conf/schemas; Iglu: "
            + missing.reason() + ")");
      }
      JsonNode source = ((IgluResolver.Lookup.Found) lookup).schema();
      try {
        schema = Optional.of(resolved.compute(key, (k, known) -> known != null && known.source().equals(source) ? known
            : new Resolved(source, compile(k, source,
                ((IgluResolver.Lookup.Found) lookup).source()))).schema());
      } catch (InvalidConfigException e) {
        return List.of(fieldPrefix + ": schema " + key.toUri() + " from Iglu is unusable: " + e.getMessage());
      }
    }
    if (schema.isEmpty()) {
      return List.of(fieldPrefix + ": unknown schema " + key.toUri() + " (not under conf/schemas)");
    }
    Set<ValidationMessage> messages = schema.get().validate(data);
    List<String> errors = new ArrayList<>(messages.size());
    for (ValidationMessage message : messages) {
      String location = message.getInstanceLocation().toString(); // $ or $.price or $.items[0]
      String field = fieldPrefix + location.substring(1);
      String text = message.getMessage();
      String detail = text.startsWith(location + ": ") ? text.substring(location.length() + 2) : text;
      errors.add(field + ": " + detail + " (schema " + key.toUri() + ")");
    }
    errors.sort(null);
    return errors;
  }
}
