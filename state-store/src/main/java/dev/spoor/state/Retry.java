package dev.spoor.state;

import dev.spoor.state.config.StateStoreConfig;
import java.io.IOException;
import java.time.Duration;

/**
 * The state store's retry policy: an HBase call that fails with an I/O error is tried again after an
 * exponentially growing pause (from {@code retry.backoff} up to {@code retry.max-backoff}), at most
 * {@code retry.attempts} times; then {@link StateStoreUnavailableException}. Errors that are not I/O
 * (bad arguments, bugs) are not retried.
 */
public final class Retry {
  /** An HBase call. */
  @FunctionalInterface
  public interface Call<T> {
    T run() throws IOException;
  }

  private final int attempts;
  private final Duration backoff;
  private final Duration maxBackoff;

  public Retry(StateStoreConfig config) {
    this(config.attempts(), config.backoff(), config.maxBackoff());
  }

  public Retry(int attempts, Duration backoff, Duration maxBackoff) {
    this.attempts = attempts;
    this.backoff = backoff;
    this.maxBackoff = maxBackoff;
  }

  public <T> T call(String what, Call<T> call) {
    IOException last = null;
    long pause = backoff.toMillis();
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        return call.run();
      } catch (IOException e) {
        last = e;
        if (attempt < attempts) {
          pause(pause);
          pause = Math.min(maxBackoff.toMillis(), pause * 2);
        }
      }
    }
    throw new StateStoreUnavailableException("HBase unavailable: " + what + " failed " + attempts + " times ("
        + last.getClass().getSimpleName() + ": " + String.valueOf(last.getMessage()).lines().findFirst().orElse("") + ")", last);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // a back-off between attempts, not a synchronisation
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StateStoreUnavailableException("interrupted while waiting to retry", e);
    }
  }
}
