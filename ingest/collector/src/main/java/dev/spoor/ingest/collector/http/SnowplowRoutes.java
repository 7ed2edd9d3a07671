package dev.spoor.ingest.collector.http;

import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.FailureType;
import dev.spoor.ingest.model.pipeline.ParsedEvent;
import dev.spoor.ingest.model.pipeline.RawEvent;
import dev.spoor.ingest.model.pipeline.RequestContext;
import dev.spoor.ingest.model.snowplow.PayloadData;
import dev.spoor.ingest.model.snowplow.QueryString;
import dev.spoor.ingest.model.snowplow.TrackerProtocol;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Snowplow tracker protocol endpoints: {@code GET /i} (one event in the query string, answered
 * with a 1×1 GIF) and {@code POST /com.snowplowanalytics.snowplow/tp2} (a {@code payload_data}
 * envelope of events). Events that fail validation are recorded as bad rows and do not fail the
 * request (trackers would only retry them forever); a malformed request does.
 */
final class SnowplowRoutes {
  static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
  private static final Set<String> POST_TYPES = Set.of("application/json", "text/plain");

  private final EventIntake intake;
  private final long maxBody;
  private final int maxEvents;
  private final Set<String> appIds;

  /** {@code appIds}: the {@code aid} values trackers may send (the protocol carries no write key); empty: any. */
  SnowplowRoutes(EventIntake intake, long maxBody, int maxEvents, Set<String> appIds) {
    this.intake = intake;
    this.maxBody = maxBody;
    this.maxEvents = maxEvents;
    this.appIds = Set.copyOf(appIds);
  }

  /** The event, or a bad row when its {@code aid} is not one of the allowed apps. */
  private ParsedEvent admitted(ParsedEvent event) {
    if (appIds.isEmpty() || !(event instanceof ParsedEvent.Ok ok) || appIds.contains(ok.event().appId())) {
      return event;
    }
    RawEvent raw = ok.event();
    return new ParsedEvent.Rejected(BadRow.ofText(FailureType.AUTH,
        List.of("aid: '" + abbreviate(String.valueOf(raw.appId())) + "' is not in spoor.collector.tracker-app-ids"),
        raw.rawPayload(), raw.collectorTstamp(), raw.source(), null, raw.eventId()));
  }

  void pixel(HttpServerExchange exchange, RequestContext context) {
    String raw = exchange.getQueryString();
    QueryString.Decoded decoded = QueryString.decode(raw);
    ParsedEvent parsed = decoded.error() != null
        ? new ParsedEvent.Rejected(BadRow.ofText(FailureType.PARSE, List.of(decoded.error()), raw,
            context.collectorTstamp(), context.source(), null, null))
        : admitted(TrackerProtocol.parse(decoded.params(), context, raw));
    EventIntake.Outcome outcome = intake.process(List.of(parsed));
    intake.publish(exchange, outcome.good(), outcome.bad(), () -> {
      exchange.setStatusCode(200);
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "image/gif");
      exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache, no-store, must-revalidate");
      if (!outcome.bad().isEmpty()) {
        exchange.getResponseHeaders().put(new io.undertow.util.HttpString("X-Spoor-Rejected"),
            outcome.bad().get(0).failureType().wireName());
      }
      exchange.getResponseSender().send(ByteBuffer.wrap(PIXEL));
    });
  }

  void post(HttpServerExchange exchange, RequestMeta meta) throws IOException {
    String type = Http.mediaType(exchange);
    if (type == null || !POST_TYPES.contains(type) || !utf8(Http.charset(exchange))) {
      Http.Body body = Http.body(exchange);
      intake.reject(exchange, 415, "unsupported_media_type",
          EventIntake.requestBadRow(FailureType.CONTENT_TYPE, "content-type: '" + type
              + "' is not accepted (application/json or text/plain, UTF-8)", prefix(body), meta),
          "send application/json or text/plain (UTF-8)");
      return;
    }
    Http.Body body = Http.body(exchange);
    if (body.tooLarge()) {
      intake.reject(exchange, 413, "body_too_large",
          EventIntake.requestBadRow(FailureType.SIZE, "body: more than the limit of " + maxBody
              + " bytes (declared " + body.declaredLength() + "; the first bytes are kept)", prefix(body), meta),
          "the body is larger than " + maxBody + " bytes");
      return;
    }
    PayloadData.Envelope envelope = PayloadData.parse(body.bytes());
    if (envelope.error() != null) {
      intake.reject(exchange, 400, "malformed_payload",
          EventIntake.requestBadRow(FailureType.PARSE, envelope.error(), body.bytes(), meta), envelope.error());
      return;
    }
    if (envelope.elements().size() > maxEvents) {
      String reason = "data: " + envelope.elements().size() + " events, more than the limit of " + maxEvents;
      intake.reject(exchange, 413, "too_many_events",
          EventIntake.requestBadRow(FailureType.SIZE, reason, body.bytes(), meta), reason);
      return;
    }
    List<ParsedEvent> parsed = new ArrayList<>(envelope.elements().size());
    RequestContext context = meta.context();
    for (PayloadData.Element element : envelope.elements()) {
      parsed.add(element.error() != null
          ? new ParsedEvent.Rejected(BadRow.ofText(FailureType.PARSE, List.of(element.error()), element.text(),
              context.collectorTstamp(), context.source(), element.params().get("aid"), element.params().get("eid")))
          : admitted(TrackerProtocol.parse(element.params(), context, element.text())));
    }
    EventIntake.Outcome outcome = intake.process(parsed);
    intake.publish(exchange, outcome.good(), outcome.bad(), () -> Http.json(exchange, 200, Map.of("accepted",
        outcome.good().size(), "rejected", outcome.bad().size(), "rejections", outcome.rejections())));
  }

  private static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "…";
  }

  static boolean utf8(String charset) {
    return charset == null || charset.equals("utf-8") || charset.equals("utf8");
  }

  /** What a bad row keeps of an over-size or refused body: at most its first 64 KiB. */
  static byte[] prefix(Http.Body body) {
    byte[] bytes = body.bytes();
    return bytes.length <= Http.PREFIX_KEPT ? bytes : java.util.Arrays.copyOf(bytes, Http.PREFIX_KEPT);
  }
}
