package dev.spoor.ingest.collector.http;

import dev.spoor.ingest.model.compact.BatchPayload;
import dev.spoor.ingest.model.compact.CompactLayouts;
import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.FailureType;
import dev.spoor.ingest.model.pipeline.ParsedEvent;
import dev.spoor.ingest.model.pipeline.RawEvent;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spoor's own batch endpoints: {@code POST /v1/batch} (compact events laid out by
 * {@code spoor.ingest.compact.layouts}) and {@code POST /v1/events} (plain JSON objects). Both need a
 * write key, sent as the {@code X-Spoor-Write-Key} header, the {@code write_key} query parameter or
 * the body's {@code write_key} (the only way for {@code navigator.sendBeacon}, which also explains why
 * {@code text/plain} bodies are accepted). The key decides the app id of every event.
 */
final class BatchRoutes {
  private static final Set<String> TYPES = Set.of("application/json", "text/plain");

  private final EventIntake intake;
  private final CompactLayouts layouts;
  private final WriteKeys writeKeys;
  private final long maxBody;
  private final int maxEvents;

  BatchRoutes(EventIntake intake, CompactLayouts layouts, Map<String, String> writeKeys, long maxBody, int maxEvents) {
    this.intake = intake;
    this.layouts = layouts;
    this.writeKeys = new WriteKeys(writeKeys);
    this.maxBody = maxBody;
    this.maxEvents = maxEvents;
  }

  void handle(HttpServerExchange exchange, RequestMeta meta, BatchPayload.Format format) throws IOException {
    String type = Http.mediaType(exchange);
    Http.Body body = Http.body(exchange);
    if (type == null || !TYPES.contains(type) || !SnowplowRoutes.utf8(Http.charset(exchange))) {
      intake.reject(exchange, 415, "unsupported_media_type",
          EventIntake.requestBadRow(FailureType.CONTENT_TYPE, "content-type: '" + type
              + "' is not accepted (application/json or text/plain, UTF-8)", SnowplowRoutes.prefix(body), meta),
          "send application/json or text/plain (UTF-8)");
      return;
    }
    if (body.tooLarge()) {
      intake.reject(exchange, 413, "body_too_large",
          EventIntake.requestBadRow(FailureType.SIZE, "body: more than the limit of " + maxBody
              + " bytes (declared " + body.declaredLength() + "; the first bytes are kept)",
              SnowplowRoutes.prefix(body), meta),
          "the body is larger than " + maxBody + " bytes");
      return;
    }
    BatchPayload.Envelope envelope = BatchPayload.parse(body.bytes(), format, layouts, meta.context(), maxEvents);
    if (envelope.error() != null) {
      boolean tooMany = envelope.error().startsWith("events: ") && envelope.error().contains("more than the limit");
      intake.reject(exchange, tooMany ? 413 : 400, tooMany ? "too_many_events" : "malformed_payload",
          EventIntake.requestBadRow(tooMany ? FailureType.SIZE : FailureType.PARSE, envelope.error(),
              body.bytes(), meta), envelope.error());
      return;
    }
    String key = firstNonNull(exchange.getRequestHeaders().getFirst(Http.WRITE_KEY_HEADER),
        queryParameter(exchange, "write_key"), envelope.batch().writeKey());
    String app = writeKeys.app(key);
    if (app == null) {
      String reason = key == null
          ? "write key missing (X-Spoor-Write-Key header, write_key query parameter or body field)"
          : "write key not recognised";
      intake.reject(exchange, 401, "unauthorized",
          EventIntake.requestBadRow(FailureType.AUTH, reason, body.bytes(), meta), reason);
      return;
    }
    List<ParsedEvent> parsed = new ArrayList<>(envelope.batch().events().size());
    for (ParsedEvent event : envelope.batch().events()) {
      parsed.add(withApp(event, app, meta));
    }
    EventIntake.Outcome outcome = intake.process(parsed);
    // The ids of the accepted events, in order: minted ones included, so a client can tell them.
    intake.publish(exchange, outcome.good(), outcome.bad(), () -> Http.json(exchange, 200, Map.of("accepted",
        outcome.good().size(), "rejected", outcome.bad().size(), "rejections", outcome.rejections(),
        "event_ids", outcome.good().stream().map(Event::eventId).toList())));
  }

  /** The app of the write key becomes the event's app id; an event claiming another app is rejected. */
  private static ParsedEvent withApp(ParsedEvent event, String app, RequestMeta meta) {
    if (!(event instanceof ParsedEvent.Ok ok)) {
      return event;
    }
    RawEvent raw = ok.event();
    if (raw.appId() != null && !raw.appId().equals(app)) {
      return new ParsedEvent.Rejected(BadRow.ofText(FailureType.AUTH,
          List.of("app_id: '" + raw.appId() + "' is not the app of this write key ('" + app + "')"),
          raw.rawPayload(), raw.collectorTstamp(), raw.source(), raw.appId(), raw.eventId()));
    }
    return new ParsedEvent.Ok(new RawEvent(raw.source(), raw.eventId(), app, raw.platform(), raw.eventName(),
        raw.schemaUri(), raw.userId(), raw.domainUserid(), raw.domainSessionid(), raw.dvceCreated(),
        raw.dvceSent(), raw.trueTstamp(), raw.collectorTstamp(), raw.pageUrl(), raw.pageReferrer(),
        raw.useragent(), raw.ipAddress(), raw.properties(), raw.contexts(), raw.tracker(),
        raw.fingerprintSource(), raw.rawPayload()));
  }

  private static String queryParameter(HttpServerExchange exchange, String name) {
    Deque<String> values = exchange.getQueryParameters().get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  private static String firstNonNull(String... values) {
    for (String value : values) {
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return null;
  }
}
