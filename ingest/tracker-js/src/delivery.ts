import { BackoffPolicy, nextDelay, outcomeOf, parseRetryAfter } from "./backoff";
import { Limits, takeBatch } from "./batch";
import type { EventQueue } from "./queue";

/**
 * Sends the queue to the collector in compact batches, one request at a time, oldest events first.
 * An event leaves the queue only when the collector answered for it: 2xx (stored) or a 4xx other than
 * 408/429 (refused for good; the collector kept a bad row with the reason). Network errors, 408, 429
 * and 5xx keep the batch and wait (exponential back-off with jitter, at least Retry-After) before the
 * next attempt; `online` events and new events do not cut a wait short, so an outage is not hammered.
 *
 * When the page goes away (`pagehide`), what is still queued is handed to `sendBeacon` and also kept:
 * a beacon has no answer, so the next page of the site sends those events again; the copies carry the
 * same event ids and fingerprints and are de-duplicated downstream (a duplicate is recoverable, a lost
 * event is not).
 */
export interface Transport {
  /** POSTs body; resolves with the status (0: no answer, e.g. connection refused or offline). */
  post(url: string, body: string): Promise<{ status: number; retryAfter: string | null }>;
  /** Hands body to the browser to send after the page is gone; false if it refused. */
  beacon(url: string, body: string): boolean;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface DeliverySettings {
  url: string;
  writeKey: string;
  limits: Limits;
  /** How long an event may wait for others to share its request. */
  flushIntervalMs: number;
  backoff: BackoffPolicy;
}

export type DeliveryError = { kind: "rejected"; status: number; eventIds: string[] };

export class Delivery {
  private inFlight = false;
  private timer: unknown = null;
  private attempt = 0;
  private waitUntil = 0;

  constructor(private readonly queue: EventQueue, private readonly transport: Transport, private readonly clock: Clock,
      private readonly settings: DeliverySettings, private readonly random: () => number,
      private readonly onError: (error: DeliveryError) => void) {}

  /** Called after an event was queued: a full batch goes at once, else within the flush interval. */
  queued(): void {
    if (this.queue.size >= this.settings.limits.maxEvents) {
      this.later(0);
    } else {
      this.later(this.settings.flushIntervalMs);
    }
  }

  /** Sends until the queue is empty or the collector must be waited for. */
  async flush(): Promise<void> {
    if (this.inFlight || this.clock.now() < this.waitUntil) {
      return;
    }
    this.inFlight = true;
    try {
      for (;;) {
        const batch = takeBatch(this.queue.snapshot(), this.settings.limits, this.settings.writeKey, this.clock.now());
        if (!batch) {
          return;
        }
        let answer: { status: number; retryAfter: string | null };
        try {
          answer = await this.transport.post(this.settings.url, batch.body);
        } catch {
          answer = { status: 0, retryAfter: null };
        }
        const ids = batch.events.map((e) => e.id);
        const outcome = outcomeOf(answer.status);
        if (outcome === "retry") {
          const delay = nextDelay(this.attempt, this.settings.backoff,
              parseRetryAfter(answer.retryAfter, this.clock.now()), this.random);
          this.attempt += 1;
          this.waitUntil = this.clock.now() + delay;
          this.queue.persist(this.clock.now());
          this.later(delay);
          return;
        }
        this.attempt = 0;
        this.queue.remove(ids, this.clock.now());
        if (outcome === "rejected") {
          this.onError({ kind: "rejected", status: answer.status, eventIds: ids });
        }
      }
    } finally {
      this.inFlight = false;
    }
  }

  /** The page is going away: every queued batch to sendBeacon; the events stay queued (see above). */
  beaconAll(): number {
    let rest = this.queue.snapshot();
    let handed = 0;
    while (rest.length > 0) {
      const batch = takeBatch(rest, this.settings.limits, this.settings.writeKey, this.clock.now());
      if (!batch || !this.transport.beacon(this.settings.url, batch.body)) {
        break;
      }
      handed += batch.events.length;
      rest = rest.slice(batch.events.length);
    }
    this.queue.persist(this.clock.now());
    return handed;
  }

  private later(ms: number): void {
    if (this.timer !== null) {
      if (ms > 0) {
        return; // a flush is already planned, no later than this one
      }
      this.clock.clearTimeout(this.timer);
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, Math.max(ms, this.waitUntil - this.clock.now(), 0));
  }
}
