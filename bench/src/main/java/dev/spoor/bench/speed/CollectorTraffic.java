package dev.spoor.bench.speed;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Shop traffic through the collector over HTTP at a fixed event rate: compact batches ({@code POST
 * /v1/batch}) of a few events of one user each, as trackers batch them, paced request by request,
 * with at most {@code inFlight} requests waiting for their answer. Mostly carts (random prices, so
 * some users' cart value passes 500 today), page views, and purchases, some of them by users the
 * batch view does not know.
 */
final class CollectorTraffic {
  private static final String KEY = "wk_shop_2026_a";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .executor(Executors.newFixedThreadPool(2)).connectTimeout(Duration.ofSeconds(5)).build();
  private final URI url;
  private final int users;
  private final int perRequest;
  private final Semaphore inFlight = new Semaphore(64);

  CollectorTraffic(int port, int users, int perRequest) {
    this.url = URI.create("http://127.0.0.1:" + port + "/v1/batch");
    this.users = users;
    this.perRequest = perRequest;
  }

  /** Events accepted (200) and requests that failed, after sending {@code rate} events/s for {@code seconds}. */
  record Sent(long events, long failedRequests) {}

  Sent send(int rate, int seconds, long seed) throws InterruptedException {
    Random random = new Random(seed);
    AtomicLong accepted = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long requests = (long) rate * seconds / perRequest;
    long start = System.nanoTime();
    for (long i = 0; i < requests; i++) {
      long due = start + i * perRequest * 1_000_000_000L / rate;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait); // pacing of the load generator
      }
      byte[] body = body(random);
      inFlight.acquire();
      http.sendAsync(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
              .header("X-Spoor-Write-Key", KEY).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.discarding())
          .whenComplete((response, error) -> {
            inFlight.release();
            if (error == null && response.statusCode() == 200) {
              accepted.addAndGet(perRequest);
            } else {
              failed.incrementAndGet();
            }
          });
    }
    if (!inFlight.tryAcquire(64, 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the collector did not answer every request within a minute");
    }
    inFlight.release(64);
    return new Sent(accepted.get(), failed.get());
  }

  /** One request: a user (one in twenty unknown to the batch view) and a few events of theirs. */
  private byte[] body(Random random) {
    boolean unknown = random.nextInt(20) == 0;
    String user = unknown ? "newcomer-" + UUID.randomUUID() : SpeedBenchmark.user(random.nextInt(users));
    long now = System.currentTimeMillis();
    StringBuilder events = new StringBuilder();
    for (int e = 0; e < perRequest; e++) {
      if (e > 0) {
        events.append(',');
      }
      String id = UUID.randomUUID().toString();
      int kind = random.nextInt(10);
      if (kind < 7) {
        events.append(String.format(Locale.ROOT, "[\"add_to_cart\",\"%s\",%d,[\"sku-%d\",%d.0,%d,\"EUR\"]]", id, now - e,
            random.nextInt(500), 5 + random.nextInt(195), 1 + random.nextInt(3)));
      } else if (kind < 9) {
        events.append(String.format(Locale.ROOT, "[\"page_view\",\"%s\",%d,[\"Product %d\"]]", id, now - e, random.nextInt(500)));
      } else {
        events.append(String.format(Locale.ROOT, "[\"purchase\",\"%s\",%d,[\"o-%s\",%d.0,%d,\"EUR\"]]", id, now - e, id,
            10 + random.nextInt(300), 1 + random.nextInt(4)));
      }
    }
    return ("{\"sent_at\":" + now + ",\"meta\":{\"user_id\":\"" + user + "\",\"page_url\":\"https://shop.example/\"},"
        + "\"events\":[" + events + "]}").getBytes(StandardCharsets.UTF_8);
  }
}
