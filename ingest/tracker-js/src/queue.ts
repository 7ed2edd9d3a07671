import type { QueuedEvent } from "./batch";

/**
 * The events not yet delivered, kept in localStorage so they survive reloads, crashes and offline
 * periods. Each tab owns its own queue (a random tab id, written with a heartbeat), so two tabs never
 * overwrite each other's events; a queue whose tab stopped beating (closed, crashed, navigated away
 * before delivering) is adopted by the next tab that starts. Two tabs adopting the same orphan send
 * its events twice at worst, and copies share their event ids, so they are de-duplicated downstream:
 * a duplicate is recoverable, a lost event is not. Bounded: past `maxEvents` the oldest are dropped,
 * and reported.
 */
export interface QueueStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
  keys(): string[];
}

interface Stored {
  beat: number;
  events: QueuedEvent[];
}

export const QUEUE_PREFIX = "spoor_q.";

export class EventQueue {
  private events: QueuedEvent[] = [];
  private released = false;
  private readonly key: string;

  constructor(private readonly storage: QueueStorage, tabId: string, private readonly maxEvents: number,
      private readonly onDrop: (dropped: QueuedEvent[]) => void) {
    this.key = QUEUE_PREFIX + tabId;
  }

  /** Takes over this tab's leftovers and every queue whose tab has not beaten for `staleMs`. */
  adoptOrphans(now: number, staleMs: number): number {
    let adopted = 0;
    for (const key of this.storage.keys()) {
      if (!key.startsWith(QUEUE_PREFIX) || key === this.key) {
        continue;
      }
      const stored = read(this.storage.get(key));
      if (stored && now - stored.beat > staleMs) {
        this.events.push(...stored.events);
        adopted += stored.events.length;
        this.storage.remove(key);
      } else if (!stored) {
        this.storage.remove(key); // unreadable: nothing in it can be sent
      }
    }
    if (adopted > 0) {
      this.events.sort((a, b) => a.created - b.created);
      this.bound();
      this.persist(now);
    }
    return adopted;
  }

  get size(): number {
    return this.events.length;
  }

  snapshot(): readonly QueuedEvent[] {
    return this.events;
  }

  push(event: QueuedEvent, now: number): void {
    this.events.push(event);
    this.bound();
    this.persist(now);
  }

  /** Removes delivered (or rejected) events, by id. */
  remove(ids: readonly string[], now: number): void {
    const gone = new Set(ids);
    this.events = this.events.filter((e) => !gone.has(e.id));
    this.persist(now);
  }

  /**
   * Writes the queue with a fresh heartbeat. Once released, without one (adoptable at once), and only
   * while no other page has adopted it: an answer arriving after the page went away never brings
   * back, nor keeps alive, a queue that is no longer this page's.
   */
  persist(now: number): void {
    if (this.events.length === 0) {
      this.storage.remove(this.key);
    } else if (!this.released || this.storage.get(this.key) !== null) {
      this.storage.set(this.key, JSON.stringify({ beat: this.released ? 0 : now, events: this.events } as Stored));
    }
  }

  /** The page is going away: its queue is left for the next page to adopt at once (no heartbeat). */
  release(): void {
    this.persist(0);
    this.released = true;
  }

  /** The page is back (from the back-forward cache): the queue is this page's again. */
  reclaim(now: number): void {
    this.released = false;
    this.persist(now);
  }

  private bound(): void {
    if (this.events.length > this.maxEvents) {
      this.onDrop(this.events.splice(0, this.events.length - this.maxEvents));
    }
  }
}

function read(text: string | null): Stored | null {
  if (!text) {
    return null;
  }
  try {
    const value = JSON.parse(text) as Stored;
    return typeof value.beat === "number" && Array.isArray(value.events) ? value : null;
  } catch {
    return null;
  }
}
