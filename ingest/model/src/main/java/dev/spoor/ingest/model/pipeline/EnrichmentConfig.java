package dev.spoor.ingest.model.pipeline;

import dev.spoor.config.Settings;
import dev.spoor.ingest.model.schema.iglu.IgluSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Configuration of validation and enrichment ({@code spoor.ingest}).
 *
 * @param schemasDir the Iglu schema directory
 * @param fingerprintExcludedFields top-level payload fields left out of the event fingerprint
 * @param ipv4OctetsZeroed trailing IPv4 octets set to zero (0–4)
 * @param ipv6BitsZeroed trailing IPv6 bits set to zero (0–128)
 * @param maxOffline longest accepted interval between a device creating and sending an event
 * @param userAgentCache entries in the user agent parser's cache
 * @param iglu the Iglu repositories asked for schemas the directory does not hold, if any
 */
public record EnrichmentConfig(
    Path schemasDir,
    List<String> fingerprintExcludedFields,
    int ipv4OctetsZeroed,
    int ipv6BitsZeroed,
    Duration maxOffline,
    int userAgentCache,
    Optional<IgluSettings> iglu) {

  public EnrichmentConfig {
    fingerprintExcludedFields = List.copyOf(fingerprintExcludedFields);
  }

  public static EnrichmentConfig from(Settings ingest, Path home) {
    Settings enrich = ingest.section("enrich");
    return new EnrichmentConfig(
        ingest.path("schemas-dir", home),
        enrich.stringList("fingerprint-excluded-fields"),
        enrich.integer("ipv4-octets-zeroed", 0, 4),
        enrich.integer("ipv6-bits-zeroed", 0, 128),
        enrich.duration("max-offline"),
        enrich.integer("useragent-cache", 0, 10_000_000),
        IgluSettings.from(ingest, home));
  }
}
