package dev.spoor.ingest.model.schema.iglu;

import dev.spoor.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code spoor.ingest.iglu}: the Iglu resolver configuration file (Snowplow's format; unset: only
 * {@code schemas-dir}), the disk cache of fetched schemas, and the longest wait for one repository.
 */
public record IgluSettings(Path resolverFile, Path cacheDir, Duration timeout) {
  /** The settings, or none when no resolver file is configured. */
  public static Optional<IgluSettings> from(Settings ingest, Path home) {
    Settings iglu = ingest.section("iglu");
    if (!iglu.has("resolver-file")) {
      return Optional.empty();
    }
    return Optional.of(new IgluSettings(iglu.path("resolver-file", home), iglu.path("cache-dir", home),
        iglu.duration("timeout")));
  }

  /** The resolver these settings describe (reads and checks the file). */
  public IgluResolver resolver() {
    return new IgluResolver(ResolverConfig.read(resolverFile), cacheDir, timeout);
  }
}
