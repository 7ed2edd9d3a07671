package dev.spoor.ingest.collector.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the requests handed to the worker threads and not yet answered (running or queued for a
 * worker): beyond {@code limit}, a request is refused at once ({@code 503} with {@code Retry-After})
 * instead of joining a queue that only grows while Kafka is slow.
 */
final class LoadShedder {
  private final int limit;
  private final AtomicInteger inFlight = new AtomicInteger();

  LoadShedder(int limit) {
    this.limit = limit;
  }

  /** Takes a place, or returns false when all {@code limit} are taken. */
  boolean tryEnter() {
    while (true) {
      int now = inFlight.get();
      if (now >= limit) {
        return false;
      }
      if (inFlight.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Gives a place back (once per successful {@link #tryEnter}). */
  void leave() {
    inFlight.decrementAndGet();
  }

  int inFlight() {
    return inFlight.get();
  }
}
