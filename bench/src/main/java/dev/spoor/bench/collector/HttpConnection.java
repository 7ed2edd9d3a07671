package dev.spoor.bench.collector;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection of the load generator: writes a prepared request, reads the
 * status and the body (by {@code Content-Length}), reconnects when the server closed it. Minimal on
 * purpose: the generator's cost per request is a write and a read, so it takes little of the CPU the
 * collector shares with it.
 */
final class HttpConnection implements AutoCloseable {
  /** Status and body of an answer. */
  record Response(int status, String body) {}

  private final InetSocketAddress address;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  HttpConnection(InetSocketAddress address) {
    this.address = address;
  }

  Response exchange(byte[] request) throws IOException {
    if (socket == null || socket.isClosed()) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(30_000);
      socket.connect(address, 5_000);
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      out = socket.getOutputStream();
    }
    try {
      out.write(request);
      out.flush();
      return read();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private Response read() throws IOException {
    String statusLine = line();
    if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
      throw new IOException("not an HTTP answer: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    int length = 0;
    boolean keepAlive = true;
    for (String header = line(); header != null && !header.isEmpty(); header = line()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring(15).trim());
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        keepAlive = false;
      }
    }
    byte[] body = in.readNBytes(length);
    if (!keepAlive) {
      close();
    }
    return new Response(status, new String(body, StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    for (int b = in.read(); b != -1; b = in.read()) {
      if (b == '\n') {
        int n = bytes.size();
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        return n > 0 && text.charAt(n - 1) == '\r' ? text.substring(0, n - 1) : text;
      }
      bytes.write(b);
    }
    return null;
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a connection the server may already have closed
      }
      socket = null;
    }
  }
}
