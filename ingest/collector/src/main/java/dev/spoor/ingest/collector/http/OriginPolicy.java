package dev.spoor.ingest.collector.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.Set;

/**
 * The origin allowlist, applied to CORS preflights and to the {@code Origin} header of every request.
 * Requests without an {@code Origin} (server-side and mobile trackers, curl) are not browser requests
 * and pass; browsers always send it on cross-origin POSTs, so a page on a foreign site cannot.
 */
final class OriginPolicy {
  private final Set<String> allowed;
  private final boolean any;

  OriginPolicy(Set<String> allowed) {
    this.allowed = Set.copyOf(allowed);
    this.any = allowed.contains("*");
  }

  /** True if the request may proceed; adds the CORS response headers for an allowed origin. */
  boolean admit(HttpServerExchange exchange) {
    String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
    if (origin == null) {
      return true;
    }
    boolean listed = allowed.contains(origin);
    if (!any && !listed) {
      return false;
    }
    if (listed) {
      // Credentials (cookies) only for origins named one by one: with "*" any site could send them.
      exchange.getResponseHeaders().put(new HttpString("Access-Control-Allow-Origin"), origin);
      exchange.getResponseHeaders().put(new HttpString("Access-Control-Allow-Credentials"), "true");
      exchange.getResponseHeaders().add(Headers.VARY, "Origin");
    } else {
      exchange.getResponseHeaders().put(new HttpString("Access-Control-Allow-Origin"), "*");
    }
    // A page's tracker must read how long a 503 asks it to wait (not a CORS-safelisted header).
    exchange.getResponseHeaders().put(new HttpString("Access-Control-Expose-Headers"), "Retry-After");
    return true;
  }

  String origin(HttpServerExchange exchange) {
    return exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
  }

  /** Answers a CORS preflight: 204 with the allowed methods and headers, or 403 for a foreign origin. */
  void preflight(HttpServerExchange exchange) {
    if (!admit(exchange)) {
      Http.error(exchange, 403, "origin_not_allowed",
          "origin " + origin(exchange) + " is not in spoor.collector.allowed-origins");
      return;
    }
    exchange.getResponseHeaders().put(new HttpString("Access-Control-Allow-Methods"), "GET, POST, OPTIONS");
    exchange.getResponseHeaders().put(new HttpString("Access-Control-Allow-Headers"),
        "Content-Type, X-Spoor-Write-Key");
    exchange.getResponseHeaders().put(new HttpString("Access-Control-Max-Age"), "600");
    exchange.setStatusCode(204);
    exchange.endExchange();
  }
}
