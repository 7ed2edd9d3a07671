package dev.spoor.ingest.model.schema.iglu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.spoor.ingest.model.schema.SchemaKey;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves schemas that {@code schemas-dir} does not ship from the Iglu repositories of a
 * {@link ResolverConfig}, the way Snowplow's resolver does: repositories whose vendor prefixes match
 * the schema's vendor first, then by priority (lowest first); the first that has it wins. A fetched
 * schema is kept in memory ({@code cacheSize} schemas; after {@code cacheTtl} the next lookup is
 * answered at once with what is known while it is fetched again in the background, Caffeine's
 * refresh-after-write, and a failed refresh keeps it) and on disk under {@code cacheDir}, laid out as
 * a schema directory. So an unreachable repository never holds up a schema already seen, even after a
 * restart: the last known schema is used, and only a schema never seen waits for the repositories (at
 * most {@code timeout} each) before its event becomes a bad row that says why.
 */
public final class IgluResolver {
  private static final Logger LOG = LoggerFactory.getLogger(IgluResolver.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The largest schema a repository may serve. */
  static final int MAX_SCHEMA_BYTES = 1 << 20;

  /** What a lookup found. */
  public sealed interface Lookup {
    /** The schema, and where it came from. */
    record Found(JsonNode schema, String source) implements Lookup {}

    /** Why no repository gave it. */
    record Missing(String reason) implements Lookup {}
  }

  private final List<IgluRepository> repositories;
  private final Path cacheDir;
  private final Duration timeout;
  private final HttpClient http;
  private final LoadingCache<SchemaKey, Lookup> cache;

  public IgluResolver(ResolverConfig config, Path cacheDir, Duration timeout) {
    this.repositories = List.copyOf(config.repositories());
    this.cacheDir = cacheDir;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    Caffeine<Object, Object> builder = Caffeine.newBuilder().maximumSize(config.cacheSize());
    config.cacheTtl().ifPresent(builder::refreshAfterWrite);
    this.cache = builder.build(new CacheLoader<>() {
      @Override
      public Lookup load(SchemaKey key) {
        return fetch(key);
      }

      /** A refresh that finds nothing keeps the schema already known (Iglu schemas never change). */
      @Override
      public Lookup reload(SchemaKey key, Lookup known) {
        Lookup fresh = fetch(key);
        return fresh instanceof Lookup.Missing && known instanceof Lookup.Found ? known : fresh;
      }
    });
  }

  /** The schema of {@code key}, from memory, the repositories or the disk cache, or why there is none. */
  public Lookup resolve(SchemaKey key) {
    return cache.get(key);
  }

  /** The repositories in the order a lookup of {@code key} tries them. */
  List<IgluRepository> order(SchemaKey key) {
    return repositories.stream().sorted(Comparator.comparing((IgluRepository r) -> !r.prefers(key))
        .thenComparingInt(IgluRepository::priority)).toList();
  }

  private Lookup fetch(SchemaKey key) {
    List<String> reasons = new ArrayList<>();
    boolean unreachable = false;
    for (IgluRepository repository : order(key)) {
      HttpRequest.Builder request = HttpRequest.newBuilder(repository.location(key)).timeout(timeout).GET();
      repository.apiKey().ifPresent(apiKey -> request.header("apikey", apiKey));
      try {
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
          if (response.statusCode() == 404) {
            reasons.add(repository.name() + ": not found");
            continue;
          }
          if (response.statusCode() != 200) {
            unreachable = true;
            reasons.add(repository.name() + ": HTTP " + response.statusCode());
            continue;
          }
          byte[] bytes = body.readNBytes(MAX_SCHEMA_BYTES + 1);
          if (bytes.length > MAX_SCHEMA_BYTES) {
            reasons.add(repository.name() + ": a schema of more than " + MAX_SCHEMA_BYTES + " bytes");
            continue;
          }
          JsonNode schema = JSON.readTree(bytes);
          String self = schema == null ? "nothing" : "iglu:" + schema.path("self").path("vendor").asText() + "/"
              + schema.path("self").path("name").asText() + "/" + schema.path("self").path("format").asText() + "/"
              + schema.path("self").path("version").asText();
          if (!self.equals(key.toUri())) {
            reasons.add(repository.name() + ": served " + self + " for " + key.toUri());
            continue;
          }
          store(key, bytes);
          return new Lookup.Found(schema, repository.name());
        }
      } catch (IOException e) {
        unreachable = true;
        reasons.add(repository.name() + ": unreachable (" + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Lookup.Missing("interrupted while resolving");
      }
    }
    if (unreachable) {
      try {
        Path known = cacheDir.resolve(key.path());
        if (Files.isRegularFile(known)) {
          return new Lookup.Found(JSON.readTree(known.toFile()), "the disk cache (" + String.join("; ", reasons) + ")");
        }
      } catch (IOException e) {
        reasons.add("the disk cache: " + e.getMessage());
      }
    }
    return new Lookup.Missing(reasons.isEmpty() ? "no Iglu repository is configured" : String.join("; ", reasons));
  }

  /** Writes the schema to the disk cache (a temporary file moved in place: never half-written). */
  private void store(SchemaKey key, byte[] bytes) {
    try {
      Path file = cacheDir.resolve(key.path());
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), ".schema", ".tmp");
      Files.write(temp, bytes);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // Still used from memory; only a restart while every repository is unreachable would miss it.
      LOG.warn("could not keep {} in the disk cache {}: {}", key.toUri(), cacheDir, e.getMessage());
    }
  }
}
