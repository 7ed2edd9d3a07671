package dev.spoor.demo.shop;

import java.time.Instant;
import java.util.Map;

/** One event a simulated user does: who, what (event name), when it happened, and its properties. */
public record PlannedEvent(String user, String name, Instant at, Map<String, Object> properties) {
  public PlannedEvent {
    properties = Map.copyOf(properties);
  }
}
