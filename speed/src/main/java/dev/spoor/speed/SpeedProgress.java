package dev.spoor.speed;

import java.util.Locale;
import java.util.function.Consumer;
import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * One line per speed-layer micro-batch from Spark's progress reports: input rows, records out, how
 * long the batch took and its phases (as Spark measures them), and events per second.
 */
public final class SpeedProgress extends StreamingQueryListener {
  private final Consumer<String> log;

  public SpeedProgress(Consumer<String> log) {
    this.log = log;
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {
    // the start is announced by SpeedMain
  }

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    var p = event.progress();
    if (p.numInputRows() == 0 || !"spoor-speed".equals(p.name())) {
      return;
    }
    log.accept(String.format(Locale.ROOT, "speed batch %d: %d events, %s; %.0f events/s; durations %s",
        p.batchId(), p.numInputRows(), p.sink().numOutputRows() < 0 ? "records out unknown"
            : p.sink().numOutputRows() + " records out", p.processedRowsPerSecond(), p.durationMs()));
  }

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {
    if (event.exception().isDefined()) {
      log.accept("speed query stopped: " + event.exception().get());
    }
  }
}
