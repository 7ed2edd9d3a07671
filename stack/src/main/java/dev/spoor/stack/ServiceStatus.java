package dev.spoor.stack;

import dev.spoor.stack.process.ProcessState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** One row of {@code bin/spoor status}. */
public record ServiceStatus(
    String service,
    ProcessState state,
    boolean healthy,
    Optional<Long> pid,
    int port,
    Optional<Duration> uptime,
    long dataBytes,
    Path log) {

  /** running+healthy → "healthy"; running but failing its probe → "unhealthy"; else stopped/died. */
  public String stateLabel() {
    if (state == ProcessState.RUNNING) {
      return healthy ? "healthy" : "unhealthy";
    }
    return state.label();
  }
}
