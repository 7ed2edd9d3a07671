package dev.spoor.stack.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A collector of a test's own: {@code bin/spoor collector} on a free port with the test's environment
 * (its topics, its configuration), its output in a log file, ready once {@code /health} answers 200.
 */
public final class TestCollector implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final Process process;
  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private TestCollector(Process process, URI base) {
    this.process = process;
    this.base = base;
  }

  /** Starts the collector and waits until its health check answers 200. */
  public static TestCollector start(Map<String, String> env, Path log) throws IOException, InterruptedException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Map<String, String> collectorEnv = new HashMap<>(env);
    collectorEnv.put("SPOOR_COLLECTOR_PORT", Integer.toString(port));
    TestCollector collector = new TestCollector(SpoorCommand.start(collectorEnv, log, "collector"),
        URI.create("http://127.0.0.1:" + port));
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!collector.healthy()) {
      if (!collector.process.isAlive() || System.nanoTime() > deadline) {
        collector.close();
        throw new AssertionError("the collector did not become healthy within " + START_TIMEOUT + "; see " + log);
      }
      Thread.sleep(200); // polling a condition, with a deadline
    }
    return collector;
  }

  /** The collector's base URL, e.g. http://127.0.0.1:41234 */
  public URI base() {
    return base;
  }

  private boolean healthy() throws InterruptedException {
    try {
      return http.send(HttpRequest.newBuilder(base.resolve("/health")).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) { // not listening yet
      return false;
    }
  }

  /** Stops the collector (its log is complete once it has exited). */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
