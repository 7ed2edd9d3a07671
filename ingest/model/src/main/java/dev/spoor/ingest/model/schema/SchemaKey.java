package dev.spoor.ingest.model.schema;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Iglu schema key, {@code iglu:vendor/name/format/MODEL-REVISION-ADDITION}, for example
 * {@code iglu:com.acme/add_to_cart/jsonschema/1-0-0}. Several versions of one schema live side by side;
 * a key always names exactly one of them.
 */
public record SchemaKey(String vendor, String name, String format, String version) {
  private static final Pattern URI = Pattern.compile(
      "^iglu:([a-zA-Z0-9_.\\-]+)/([a-zA-Z0-9_\\-]+)/([a-zA-Z0-9_\\-]+)/([1-9][0-9]*-(?:0|[1-9][0-9]*)-(?:0|[1-9][0-9]*))$");

  /** URIs already parsed: a few schemas carry nearly every event. Bounded, so junk cannot grow it. */
  private static final Map<String, Optional<SchemaKey>> PARSED = new ConcurrentHashMap<>();
  private static final int PARSED_MAX = 4096;

  /** The key of an Iglu URI, or empty if the text is not one. */
  public static Optional<SchemaKey> parse(String uri) {
    if (uri == null) {
      return Optional.empty();
    }
    Optional<SchemaKey> known = PARSED.get(uri);
    if (known != null) {
      return known;
    }
    Optional<SchemaKey> key = match(uri);
    if (PARSED.size() < PARSED_MAX) {
      PARSED.put(uri, key);
    }
    return key;
  }

  private static Optional<SchemaKey> match(String uri) {
    Matcher m = URI.matcher(uri);
    return m.matches()
        ? Optional.of(new SchemaKey(m.group(1), m.group(2), m.group(3), m.group(4)))
        : Optional.empty();
  }

  public String toUri() {
    return "iglu:" + vendor + "/" + name + "/" + format + "/" + version;
  }

  /** The path of its file under the schema directory: {@code vendor/name/format/version}. */
  public String path() {
    return vendor + "/" + name + "/" + format + "/" + version;
  }

  @Override
  public String toString() {
    return toUri();
  }
}
