package dev.spoor.ingest.model.schema.iglu;

import dev.spoor.ingest.model.schema.SchemaKey;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * One repository of an Iglu resolver configuration: a static HTTP repository or an Iglu Server
 * ({@code uri}, with an {@code apikey} for a private one), both served as
 * {@code {uri}/schemas/vendor/name/format/version}.
 */
public record IgluRepository(String name, int priority, List<String> vendorPrefixes, URI uri, Optional<String> apiKey) {
  public IgluRepository {
    vendorPrefixes = List.copyOf(vendorPrefixes);
  }

  /** Whether the repository says it holds the schemas of this vendor (no prefixes: it says nothing). */
  boolean prefers(SchemaKey key) {
    return vendorPrefixes.stream().anyMatch(prefix -> key.vendor().startsWith(prefix));
  }

  URI location(SchemaKey key) {
    String base = uri.toString().endsWith("/") ? uri.toString() : uri + "/";
    return URI.create(base + "schemas/" + key.path());
  }
}
