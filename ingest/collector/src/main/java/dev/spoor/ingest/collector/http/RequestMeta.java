package dev.spoor.ingest.collector.http;

import dev.spoor.ingest.model.pipeline.RequestContext;

/** The request context of the event pipeline plus the route name used in metrics. */
record RequestMeta(String route, RequestContext context) {}
