import { describe, expect, it } from "vitest";
import type { QueuedEvent } from "../src/batch";
import { EventQueue, QUEUE_PREFIX } from "../src/queue";
import { MemoryStore } from "../src/store";

function event(id: string, created: number): QueuedEvent {
  return { name: "page_view", id, created, values: [], meta: { app_id: "a", platform: "web", domain_userid: "d",
    domain_sessionid: "s" } };
}

describe("the persistent queue", () => {
  it("two tabs never overwrite each other's events", () => {
    const storage = new MemoryStore();
    const a = new EventQueue(storage, "tab-a", 100, () => {});
    const b = new EventQueue(storage, "tab-b", 100, () => {});
    a.push(event("a1", 1), 1);
    b.push(event("b1", 2), 2);
    a.push(event("a2", 3), 3);
    expect(JSON.parse(storage.get(QUEUE_PREFIX + "tab-a")!).events.map((e: QueuedEvent) => e.id)).toEqual(["a1", "a2"]);
    expect(JSON.parse(storage.get(QUEUE_PREFIX + "tab-b")!).events.map((e: QueuedEvent) => e.id)).toEqual(["b1"]);
  });

  it("a reloaded page adopts the queues whose tabs stopped beating, oldest event first, and not live tabs'", () => {
    const storage = new MemoryStore();
    const gone = new EventQueue(storage, "gone", 100, () => {});
    gone.push(event("g2", 20), 1_000);
    gone.push(event("g1", 10), 1_000);
    const live = new EventQueue(storage, "live", 100, () => {});
    live.push(event("l1", 30), 9_000);
    storage.set(QUEUE_PREFIX + "corrupt", "{not json");
    const next = new EventQueue(storage, "next", 100, () => {});
    expect(next.adoptOrphans(12_000, 5_000)).toBe(2);
    expect(next.snapshot().map((e) => e.id)).toEqual(["g1", "g2"]);
    expect(storage.keys().sort()).toEqual([QUEUE_PREFIX + "live", QUEUE_PREFIX + "next"]);
  });

  it("a page that went away releases its queue to the next page at once", () => {
    const storage = new MemoryStore();
    const closing = new EventQueue(storage, "closing", 100, () => {});
    closing.push(event("c1", 1), 10_000);
    closing.release();
    const next = new EventQueue(storage, "next", 100, () => {});
    expect(next.adoptOrphans(10_001, 5_000)).toBe(1);
  });

  /** A page that queued c1 and c2 and went away before they were delivered. */
  function closedWithTwo(storage: MemoryStore): EventQueue {
    const closing = new EventQueue(storage, "closing", 100, () => {});
    closing.push(event("c1", 1), 10_000);
    closing.push(event("c2", 2), 10_000);
    closing.release();
    return closing;
  }

  it("a released queue stays the next page's when an answer arrives after the page went away", () => {
    const storage = new MemoryStore();
    const closing = closedWithTwo(storage);
    closing.remove(["c1"], 10_050); // the request in flight at pagehide answers late
    const next = new EventQueue(storage, "next", 100, () => {});
    expect(next.adoptOrphans(10_100, 5_000)).toBe(1);
    expect(next.snapshot().map((e) => e.id)).toEqual(["c2"]);
  });

  it("a late answer to a page that went away never brings back a queue another page adopted", () => {
    const storage = new MemoryStore();
    const closing = closedWithTwo(storage);
    const next = new EventQueue(storage, "next", 100, () => {});
    expect(next.adoptOrphans(10_001, 5_000)).toBe(2);
    closing.remove(["c1"], 10_050);
    expect(storage.keys()).toEqual([QUEUE_PREFIX + "next"]);
  });

  it("a page back from the back-forward cache owns its queue again", () => {
    const storage = new MemoryStore();
    const page = new EventQueue(storage, "page", 100, () => {});
    page.push(event("p1", 1), 10_000);
    page.release();
    page.reclaim(10_010);
    expect(new EventQueue(storage, "other", 100, () => {}).adoptOrphans(10_020, 5_000)).toBe(0);
  });

  it("removes delivered events by id and forgets an empty queue", () => {
    const storage = new MemoryStore();
    const queue = new EventQueue(storage, "t", 100, () => {});
    queue.push(event("e1", 1), 1);
    queue.push(event("e2", 2), 2);
    queue.remove(["e1"], 3);
    expect(queue.snapshot().map((e) => e.id)).toEqual(["e2"]);
    queue.remove(["e2"], 4);
    expect(storage.keys()).toEqual([]);
  });

  it("is bounded: past its size the oldest events are dropped and reported", () => {
    const dropped: string[] = [];
    const queue = new EventQueue(new MemoryStore(), "t", 3, (events) => dropped.push(...events.map((e) => e.id)));
    for (let i = 1; i <= 5; i++) {
      queue.push(event("e" + i, i), i);
    }
    expect(queue.snapshot().map((e) => e.id)).toEqual(["e3", "e4", "e5"]);
    expect(dropped).toEqual(["e1", "e2"]);
  });
});
