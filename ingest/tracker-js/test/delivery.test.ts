import { describe, expect, it } from "vitest";
import type { QueuedEvent } from "../src/batch";
import { Clock, Delivery, DeliveryError, Transport } from "../src/delivery";
import { EventQueue } from "../src/queue";
import { MemoryStore } from "../src/store";
import { seeded, uuid } from "./random";

/** Virtual time: timers run when the test advances to them. */
class VirtualClock implements Clock {
  time = 1_764_000_000_000;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  now() { return this.time; }
  setTimeout(fn: () => void, ms: number) { const id = ++this.ids; this.timers.push({ at: this.time + ms, fn, id }); return id; }
  clearTimeout(handle: unknown) { this.timers = this.timers.filter((t) => t.id !== handle); }
  /** Runs the next timer; false when none is left. */
  async step(): Promise<boolean> {
    if (this.timers.length === 0) {
      return false;
    }
    this.timers.sort((a, b) => a.at - b.at);
    const next = this.timers.shift()!;
    this.time = Math.max(this.time, next.at);
    next.fn();
    for (let i = 0; i < 10; i++) {
      await Promise.resolve();
    }
    return true;
  }
}

interface Request { at: number; ids: string[]; status: number; retryAfter: string | null }

/** A collector whose answers come from a script; records what it was sent and when. */
class ScriptedCollector implements Transport {
  readonly requests: Request[] = [];
  readonly beacons: string[][] = [];
  constructor(private readonly clock: VirtualClock, private readonly answer: () => { status: number; retryAfter: string | null }) {}
  async post(_url: string, body: string) {
    const answer = this.answer();
    this.requests.push({ at: this.clock.now(), ids: JSON.parse(body).events.map((e: unknown[]) => e[1]), ...answer });
    if (answer.status === 0) {
      throw new TypeError("Failed to fetch");
    }
    return answer;
  }
  beacon(_url: string, body: string) {
    this.beacons.push(JSON.parse(body).events.map((e: unknown[]) => e[1]));
    return true;
  }
}

function event(random: () => number, created: number): QueuedEvent {
  return { name: "page_view", id: uuid(random), created, values: ["x".repeat(Math.floor(random() * 2000))],
    meta: { app_id: "shop", platform: "web", domain_userid: "d", domain_sessionid: "s" } };
}

const SETTINGS = { url: "https://c.example/v1/batch", writeKey: "wk", limits: { maxEvents: 20, maxBytes: 16_000 },
  flushIntervalMs: 1000, backoff: { baseMs: 500, maxMs: 60_000 } };

describe("delivery", () => {
  it("generated collector behaviour: every event is stored or refused once, none lost, waits are kept", async () => {
    const statuses = [200, 200, 200, 400, 413, 503, 503, 500, 429, 408, 0, 0];
    for (let seed = 1; seed <= 200; seed++) {
      const random = seeded(seed);
      const clock = new VirtualClock();
      const collector = new ScriptedCollector(clock, () => {
        const status = statuses[Math.floor(random() * statuses.length)];
        return { status, retryAfter: status === 503 && random() < 0.7 ? String(1 + Math.floor(random() * 30)) : null };
      });
      const queue = new EventQueue(new MemoryStore(), "t", 10_000, () => {});
      const errors: DeliveryError[] = [];
      const delivery = new Delivery(queue, collector, clock, SETTINGS, random, (e) => errors.push(e));
      const sent: string[] = [];
      const count = 1 + Math.floor(random() * 150);
      for (let i = 0; i < count; i++) {
        const e = event(random, clock.now());
        sent.push(e.id);
        queue.push(e, clock.now());
        delivery.queued();
        if (random() < 0.3) {
          await clock.step();
        }
      }
      let steps = 0;
      while (queue.size > 0 && (await clock.step())) {
        expect(++steps, `seed ${seed}: finishes`).toBeLessThan(100_000);
      }
      const stored = collector.requests.filter((r) => r.status >= 200 && r.status < 300).flatMap((r) => r.ids);
      const refused = errors.flatMap((e) => e.eventIds);
      expect(queue.size, `seed ${seed}`).toBe(0);
      expect([...stored, ...refused].sort(), `seed ${seed}: stored + refused = sent`).toEqual([...sent].sort());
      expect(new Set(stored).size + new Set(refused).size).toBe(sent.length);
      for (let i = 1; i < collector.requests.length; i++) {
        const before = collector.requests[i - 1];
        if (before.retryAfter !== null) {
          expect(collector.requests[i].at - before.at, `seed ${seed}: Retry-After kept`)
            .toBeGreaterThanOrEqual(Number(before.retryAfter) * 1000);
        }
        expect(collector.requests[i].ids.length).toBeLessThanOrEqual(SETTINGS.limits.maxEvents);
      }
    }
  });

  it("an outage is waited out with growing, jittered pauses, then everything goes", async () => {
    const clock = new VirtualClock();
    let down = true;
    const collector = new ScriptedCollector(clock, () => ({ status: down ? 0 : 200, retryAfter: null }));
    const queue = new EventQueue(new MemoryStore(), "t", 100, () => {});
    const delivery = new Delivery(queue, collector, clock, SETTINGS, seeded(5), () => {});
    const random = seeded(6);
    for (let i = 0; i < 3; i++) {
      queue.push(event(random, clock.now()), clock.now());
      delivery.queued();
    }
    while (collector.requests.length < 8) {
      await clock.step();
    }
    const gaps = collector.requests.slice(1).map((r, i) => r.at - collector.requests[i].at);
    expect(Math.max(...gaps.slice(4))).toBeGreaterThan(Math.max(...gaps.slice(0, 2)));
    down = false;
    while (await clock.step()) { /* until idle */ }
    expect(queue.size).toBe(0);
    expect(collector.requests[collector.requests.length - 1].status).toBe(200);
  });

  it("at page hide every queued event is handed to sendBeacon and kept for the next page", () => {
    const clock = new VirtualClock();
    const collector = new ScriptedCollector(clock, () => ({ status: 200, retryAfter: null }));
    const storage = new MemoryStore();
    const queue = new EventQueue(storage, "t", 100, () => {});
    const delivery = new Delivery(queue, collector, clock, SETTINGS, seeded(1), () => {});
    const random = seeded(2);
    const ids: string[] = [];
    for (let i = 0; i < 45; i++) {
      const e = event(random, clock.now());
      ids.push(e.id);
      queue.push(e, clock.now());
    }
    expect(delivery.beaconAll()).toBe(45);
    expect(collector.beacons.flat()).toEqual(ids);
    expect(collector.beacons.every((b) => b.length <= SETTINGS.limits.maxEvents)).toBe(true);
    const next = new EventQueue(storage, "next-page", 100, () => {});
    expect(next.adoptOrphans(clock.now() + 60_000, 5_000)).toBe(45);
  });
});
