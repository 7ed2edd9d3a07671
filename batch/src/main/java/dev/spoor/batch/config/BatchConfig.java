package dev.spoor.batch.config;

import com.typesafe.config.Config;
import dev.spoor.lake.PropertiesSchema;
import dev.spoor.batch.features.FeatureSpec;
import dev.spoor.batch.funnel.FunnelSpec;
import dev.spoor.batch.score.Scorecard;
import dev.spoor.batch.segment.SegmentRules;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.Settings;
import dev.spoor.lake.LakePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The batch layer's configuration ({@code spoor.batch} plus the lake root and the event schemas),
 * read and checked once at start-up: funnels, the scorecard and segments are parsed here; their SQL is
 * checked against the tables' columns when the job starts, before any data is read.
 */
public record BatchConfig(String lakeRoot, String master, Duration sessionInactivity, List<FunnelSpec> funnels,
    FeatureSpec features, Scorecard scorecard, SegmentRules segments, StructType properties) {

  public static BatchConfig from(Config config, Path home) {
    Settings batch = Settings.of(config, "spoor.batch");
    Duration inactivity = batch.duration("session-inactivity");
    if (inactivity.isNegative() || inactivity.isZero()) {
      throw new InvalidConfigException("spoor.batch.session-inactivity", inactivity, "a positive duration");
    }
    Path schemas = Settings.of(config, "spoor.ingest").path("schemas-dir", home);
    if (!Files.isDirectory(schemas)) {
      throw new InvalidConfigException("spoor.ingest.schemas-dir", schemas, "a directory of JSON Schemas");
    }
    Config section = config.getConfig("spoor.batch");
    return new BatchConfig(
        LakePaths.location(config.getString("spoor.lake.root"), home),
        batch.string("master"),
        inactivity,
        section.hasPath("funnels") ? FunnelSpec.parseAll(section.getConfig("funnels"), "spoor.batch.funnels") : List.of(),
        FeatureSpec.from(batch.section("features")),
        Scorecard.parse(section.getConfig("scorecard"), "spoor.batch.scorecard"),
        section.hasPath("segments") ? SegmentRules.parse(section.getConfig("segments"), "spoor.batch.segments")
            : new SegmentRules(java.util.Map.of()),
        PropertiesSchema.fromSchemas(schemas));
  }
}
