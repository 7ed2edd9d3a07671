package dev.spoor.ingest.model.pipeline;

import java.time.Instant;

/**
 * What the collector knows about the request an event came in: when it arrived, the client's address
 * (already resolved through trusted proxies), its User-Agent header, and which endpoint it used.
 */
public record RequestContext(Instant collectorTstamp, String ipAddress, String userAgent, String source) {}
