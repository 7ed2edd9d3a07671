package dev.spoor.ingest.model;

import dev.spoor.ingest.model.enrich.UserAgentParser;
import dev.spoor.ingest.model.pipeline.EnrichmentConfig;
import dev.spoor.ingest.model.pipeline.EventProcessor;
import dev.spoor.ingest.model.pipeline.RequestContext;
import dev.spoor.ingest.model.schema.SchemaRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The checkout's shipped schemas and a processor configured as {@code conf/spoor.conf} ships it. */
public final class Fixtures {
  public static final Instant COLLECTOR = Instant.parse("2026-11-20T12:00:00Z");
  public static final RequestContext REQUEST =
      new RequestContext(COLLECTOR, "203.0.113.77", "Mozilla/5.0 test", "test");

  private static SchemaRegistry schemas;

  private Fixtures() {}

  public static Path home() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("conf/schemas"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no conf/schemas above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  public static synchronized SchemaRegistry schemas() {
    if (schemas == null) {
      schemas = SchemaRegistry.load(home().resolve("conf/schemas"));
    }
    return schemas;
  }

  public static EnrichmentConfig enrichment() {
    return new EnrichmentConfig(home().resolve("conf/schemas"),
        List.of("eid", "stm", "cv", "nuid", "event_id", "sent_at", "write_key"), 1, 80, Duration.ofDays(30), 100,
        java.util.Optional.empty());
  }

  public static EventProcessor processor() {
    return new EventProcessor(schemas(), enrichment(), UserAgentParser.NONE);
  }
}
