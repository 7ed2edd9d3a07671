package dev.spoor.demo.traffic;

import java.util.ArrayList;
import java.util.List;

/**
 * What was sent and what the collector answered, summed over a run's requests: every accepted event's
 * id (redelivered copies once), and counts of requests, events, redelivered copies, invalid events
 * sent (each copy is rejected with a bad row of its own) and corrupt requests. Mutable while sending;
 * one per sender thread.
 */
public final class Delivery {
  final List<String> acceptedIds = new ArrayList<>();
  int requests;
  int events;
  int redelivered;
  int rejected;
  int invalidEvents;
  int corruptRequests;

  public List<String> acceptedIds() {
    return List.copyOf(acceptedIds);
  }

  public int requests() {
    return requests;
  }

  public int events() {
    return events;
  }

  public int redelivered() {
    return redelivered;
  }

  public int rejected() {
    return rejected;
  }

  public int invalidEvents() {
    return invalidEvents;
  }

  public int corruptRequests() {
    return corruptRequests;
  }

  /** Adds another delivery's counts to this one. */
  public void add(Delivery other) {
    acceptedIds.addAll(other.acceptedIds);
    requests += other.requests;
    events += other.events;
    redelivered += other.redelivered;
    rejected += other.rejected;
    invalidEvents += other.invalidEvents;
    corruptRequests += other.corruptRequests;
  }
}
