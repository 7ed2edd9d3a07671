package dev.spoor.ingest.model.schema.iglu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.config.InvalidConfigException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An Iglu resolver configuration in Snowplow's own format ({@code iglu_resolver.json},
 * {@code iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-x}), so the file a Snowplow
 * pipeline uses works as it is: {@code cacheSize}, {@code cacheTtl} (seconds; none: schemas are kept
 * until the process ends), and {@code repositories} with {@code name}, {@code priority},
 * {@code vendorPrefixes} and an {@code http} connection ({@code uri}, optional {@code apikey}).
 * Embedded repositories are Spoor's {@code schemas-dir}; an {@code embedded} entry is accepted and
 * ignored.
 */
public record ResolverConfig(int cacheSize, Optional<Duration> cacheTtl, List<IgluRepository> repositories) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA = "iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-";

  public ResolverConfig {
    repositories = List.copyOf(repositories);
  }

  /** Reads the file; any problem names the file and the field. */
  public static ResolverConfig read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidConfigException("spoor.ingest.iglu.resolver-file", file + " is not readable JSON: " + e.getMessage());
    }
    return parse(root, file.toString());
  }

  static ResolverConfig parse(JsonNode root, String source) {
    if (root == null || !root.path("schema").asText("").startsWith(SCHEMA)) {
      throw problem(source, "schema", "an Iglu resolver configuration (" + SCHEMA + "x)");
    }
    JsonNode data = root.path("data");
    int cacheSize = data.path("cacheSize").asInt(-1);
    if (cacheSize < 0) {
      throw problem(source, "data.cacheSize", "a number of schemas, 0 or more");
    }
    Optional<Duration> ttl = Optional.empty();
    if (data.hasNonNull("cacheTtl")) {
      if (!data.get("cacheTtl").canConvertToLong() || data.get("cacheTtl").asLong() <= 0) {
        throw problem(source, "data.cacheTtl", "seconds, more than 0");
      }
      ttl = Optional.of(Duration.ofSeconds(data.get("cacheTtl").asLong()));
    }
    List<IgluRepository> repositories = new ArrayList<>();
    JsonNode list = data.path("repositories");
    if (!list.isArray()) {
      throw problem(source, "data.repositories", "an array");
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode repo = list.get(i);
      String at = "data.repositories[" + i + "]";
      JsonNode http = repo.path("connection").path("http");
      if (http.isMissingNode()) {
        if (repo.path("connection").has("embedded")) {
          continue; // Spoor's schemas-dir is its embedded repository
        }
        throw problem(source, at + ".connection", "http or embedded");
      }
      URI uri;
      try {
        uri = URI.create(http.path("uri").asText(""));
      } catch (IllegalArgumentException e) {
        throw problem(source, at + ".connection.http.uri", "a URI");
      }
      if (uri.getScheme() == null || !uri.getScheme().matches("https?")) {
        throw problem(source, at + ".connection.http.uri", "an http or https URI");
      }
      List<String> prefixes = new ArrayList<>();
      repo.path("vendorPrefixes").forEach(p -> prefixes.add(p.asText()));
      repositories.add(new IgluRepository(repo.path("name").asText("repository " + i), repo.path("priority").asInt(0),
          prefixes, uri, Optional.ofNullable(http.path("apikey").textValue())));
    }
    return new ResolverConfig(cacheSize, ttl, repositories);
  }

  private static InvalidConfigException problem(String source, String field, String expected) {
    return new InvalidConfigException("spoor.ingest.iglu.resolver-file", source + ": " + field + " must be " + expected);
  }
}
