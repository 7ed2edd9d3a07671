package dev.spoor.ingest.collector.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.SameThreadExecutor;
import java.io.ByteArrayOutputStream;

/**
 * Reads a request body as it arrives, on the I/O thread, without a thread waiting for a slow client:
 * at most {@code max-body} bytes (of a body declared larger, only the first {@link Http#PREFIX_KEPT},
 * which is what its bad row keeps), then hands the exchange, body attached, to the next handler. A
 * body that stalls longer than the read timeout is answered {@code 408} and its connection closed.
 */
final class BodyReader {
  static final AttachmentKey<Http.Body> BODY = AttachmentKey.create(Http.Body.class);

  private BodyReader() {}

  static void read(HttpServerExchange exchange, long max, HttpHandler next) {
    long declared = exchange.getRequestContentLength();
    long limit = declared > max ? Http.PREFIX_KEPT : max;
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 1024), Math.min(limit, 1 << 20)));
    exchange.getRequestReceiver().receivePartialBytes((ex, chunk, last) -> {
      out.write(chunk, 0, (int) Math.min(chunk.length, limit + 1 - out.size()));
      boolean over = out.size() > limit;
      if (!over && !last) {
        return;
      }
      if (!last) {
        ex.getRequestReceiver().pause(); // the rest is never read: the connection closes after the answer
        ex.setPersistent(false);
      }
      byte[] bytes = out.toByteArray();
      boolean tooLarge = declared > max || over;
      ex.putAttachment(BODY, new Http.Body(over ? java.util.Arrays.copyOf(bytes, (int) limit) : bytes, tooLarge, declared));
      ex.dispatch(SameThreadExecutor.INSTANCE, next); // next hands the request to a worker itself
    }, (ex, e) -> {
      ex.setPersistent(false);
      if (!ex.isResponseStarted()) {
        Http.error(ex, 408, "request_timeout", "the request body did not arrive within spoor.collector.read-timeout");
      } else {
        ex.endExchange();
      }
    });
  }
}
