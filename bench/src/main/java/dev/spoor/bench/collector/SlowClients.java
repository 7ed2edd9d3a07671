package dev.spoor.bench.collector;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slow-body attackers (slowloris): {@code n} connections, each sends a request's headers declaring a
 * large body, then one body byte every two seconds (inside the read timeout, so the collector never
 * cuts them for idleness); a connection the collector closes is opened again at once. They run until
 * closed.
 */
final class SlowClients implements AutoCloseable {
  private static final byte[] HEAD = ("POST /com.snowplowanalytics.snowplow/tp2 HTTP/1.1\r\nHost: collector\r\n"
      + "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII);
  private final InetSocketAddress address;
  private final List<Socket> sockets = new ArrayList<>();
  private final AtomicLong reopened = new AtomicLong();
  private final Thread trickle;
  private volatile boolean running = true;

  SlowClients(InetSocketAddress address, int n) throws IOException {
    this.address = address;
    for (int i = 0; i < n; i++) {
      sockets.add(open());
    }
    trickle = new Thread(this::trickle, "slow-clients");
    trickle.setDaemon(true);
    trickle.start();
  }

  private Socket open() throws IOException {
    Socket socket = new Socket();
    socket.connect(address, 5_000);
    socket.getOutputStream().write(HEAD);
    socket.getOutputStream().flush();
    return socket;
  }

  private void trickle() {
    while (running) {
      for (int i = 0; i < sockets.size() && running; i++) {
        try {
          sockets.get(i).getOutputStream().write(' ');
        } catch (IOException cut) {
          try {
            sockets.get(i).close();
            sockets.set(i, open());
            reopened.incrementAndGet();
          } catch (IOException e) {
            // the collector refuses connections for now; tried again on the next round
          }
        }
      }
      try {
        Thread.sleep(2_000); // the attacker's pace, not a synchronisation
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** How many times a connection was cut by the collector and opened again. */
  long reopened() {
    return reopened.get();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    trickle.interrupt();
    trickle.join();
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // already closed by the collector
      }
    }
  }
}
