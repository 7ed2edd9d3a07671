package dev.spoor.demo.shop;

import java.time.Instant;
import java.util.List;

/** One visit: its events in time order, how deep it went (0 browse … 3 purchase), cart price, order total. */
public record Visit(List<PlannedEvent> events, int depth, double cartPrice, double orderTotal) {
  public Visit {
    events = List.copyOf(events);
  }

  public Instant start() {
    return events.get(0).at();
  }

  public Instant end() {
    return events.get(events.size() - 1).at();
  }
}
