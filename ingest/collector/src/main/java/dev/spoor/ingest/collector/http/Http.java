package dev.spoor.ingest.collector.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;

/** Small HTTP helpers shared by the routes: JSON answers, bounded body reads, content types, client address. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpString WRITE_KEY_HEADER = new HttpString("X-Spoor-Write-Key");
  /** How much of a refused body a bad row keeps. */
  static final int PREFIX_KEPT = 64 * 1024;

  private Http() {}

  static void json(HttpServerExchange exchange, int status, Object body) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    try {
      exchange.getResponseSender().send(ByteBuffer.wrap(JSON.writeValueAsBytes(body)));
    } catch (IOException e) {
      throw new IllegalStateException("response bodies are plain maps and always serialise", e);
    }
  }

  /** A {@code {"error": code, "reason": …}} answer. */
  static void error(HttpServerExchange exchange, int status, String code, String reason) {
    json(exchange, status, Map.of("error", code, "reason", reason));
  }

  /** A request body read up to a limit; {@code tooLarge} when the client sent (or declared) more. */
  record Body(byte[] bytes, boolean tooLarge, long declaredLength) {}

  /** The body {@link BodyReader} read before the request reached a worker (empty if it had none). */
  static Body body(HttpServerExchange exchange) {
    Body body = exchange.getAttachment(BodyReader.BODY);
    return body != null ? body : new Body(new byte[0], false, exchange.getRequestContentLength());
  }

  /** The media type without parameters, lower case; null if absent. */
  static String mediaType(HttpServerExchange exchange) {
    String value = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
    if (value == null) {
      return null;
    }
    int semicolon = value.indexOf(';');
    return (semicolon < 0 ? value : value.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  /** The charset parameter of the content type, lower case; null if absent. */
  static String charset(HttpServerExchange exchange) {
    String value = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
    if (value == null) {
      return null;
    }
    for (String part : value.split(";")) {
      String p = part.trim().toLowerCase(Locale.ROOT);
      if (p.startsWith("charset=")) {
        return p.substring(8).replace("\"", "").trim();
      }
    }
    return null;
  }

  /**
   * The client's address: the TCP peer, or, when the peer is a trusted proxy, the right-most address
   * of {@code X-Forwarded-For} that is not itself a trusted proxy. A client cannot spoof its address
   * by sending the header directly.
   */
  static String clientAddress(HttpServerExchange exchange, TrustedProxies trustedProxies) {
    InetSocketAddress peer = exchange.getSourceAddress();
    String address = peer == null ? null : peer.getAddress().getHostAddress();
    if (address == null || !trustedProxies.contains(address)) {
      return address;
    }
    String forwarded = exchange.getRequestHeaders().getLast(Headers.X_FORWARDED_FOR);
    if (forwarded == null) {
      return address;
    }
    Deque<String> hops = new ArrayDeque<>();
    for (String hop : forwarded.split(",")) {
      if (!hop.isBlank()) {
        hops.push(hop.trim());
      }
    }
    while (!hops.isEmpty()) {
      String hop = hops.pop();
      if (!trustedProxies.contains(hop)) {
        return hop;
      }
    }
    return address;
  }
}
