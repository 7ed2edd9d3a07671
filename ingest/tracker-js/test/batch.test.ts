import { describe, expect, it } from "vitest";
import { Meta, QueuedEvent, takeBatch, utf8Length } from "../src/batch";
import { seeded, uuid } from "./random";

const META: Meta = { app_id: "shop", platform: "web", domain_userid: "d-1", domain_sessionid: "s-1" };

function generatedQueue(random: () => number, length: number): QueuedEvent[] {
  const users = [undefined, "alice", "bob"];
  const pages = ["https://shop.example/", "https://shop.example/p/1", "https://shop.example/ünïcödé/🛒"];
  return Array.from({ length }, (_, i) => ({
    name: ["page_view", "link_click", "add_to_cart"][Math.floor(random() * 3)],
    id: uuid(random),
    created: 1_764_000_000_000 + i * 1000,
    values: Array.from({ length: Math.floor(random() * 4) }, () =>
      random() < 0.5 ? "x".repeat(Math.floor(random() * 1500)) : random() * 100),
    meta: { ...META, user_id: users[Math.floor(random() * 3)], page_url: pages[Math.floor(random() * 3)],
      domain_sessionid: random() < 0.1 ? "s-2" : "s-1" },
  }));
}

describe("compact batches", () => {
  it("a batch is the compact format, later events carrying only what differs", () => {
    const queue: QueuedEvent[] = [
      { name: "page_view", id: "e1", created: 10, values: ["Home"], meta: { ...META, page_url: "https://a/" } },
      { name: "link_click", id: "e2", created: 11, values: ["nav", [], "Shoes", "https://a/shoes"],
        meta: { ...META, page_url: "https://a/" } },
      { name: "page_view", id: "e3", created: 12, values: ["Shoes"], meta: { ...META, page_url: "https://a/shoes" } },
    ];
    const batch = takeBatch(queue, { maxEvents: 500, maxBytes: 65536 }, "wk_1", 99)!;
    expect(JSON.parse(batch.body)).toEqual({
      sent_at: 99, write_key: "wk_1", meta: { ...META, page_url: "https://a/" },
      events: [["page_view", "e1", 10, ["Home"]], ["link_click", "e2", 11, ["nav", [], "Shoes", "https://a/shoes"]],
        ["page_view", "e3", 12, ["Shoes"], { page_url: "https://a/shoes" }]],
    });
  });

  it("an event lacking a field of the batch's meta (after reset: no user id) starts the next batch", () => {
    const queue: QueuedEvent[] = [
      { name: "page_view", id: "e1", created: 1, values: [], meta: { ...META, user_id: "alice" } },
      { name: "page_view", id: "e2", created: 2, values: [], meta: { ...META } },
    ];
    expect(takeBatch(queue, { maxEvents: 10, maxBytes: 10_000 }, "k", 3)!.events.map((e) => e.id)).toEqual(["e1"]);
  });

  it("generated queues are cut into batches within the limits, in order, with nothing lost", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = seeded(seed);
      const queue = generatedQueue(random, 1 + Math.floor(random() * 120));
      // Every event fits a batch alone (the tracker refuses one that does not when it is tracked).
      const limits = { maxEvents: 1 + Math.floor(random() * 50), maxBytes: 8_000 + Math.floor(random() * 60_000) };
      const sent: string[] = [];
      let rest = queue;
      while (rest.length > 0) {
        const batch = takeBatch(rest, limits, "wk_generated", 1)!;
        expect(batch, `seed ${seed}`).not.toBeNull();
        expect(batch.events.length).toBeLessThanOrEqual(limits.maxEvents);
        expect(utf8Length(batch.body), `seed ${seed}`).toBeLessThanOrEqual(limits.maxBytes);
        const body = JSON.parse(batch.body);
        expect(body.events.map((e: unknown[]) => e[1])).toEqual(batch.events.map((e) => e.id));
        for (const [i, row] of (body.events as unknown[][]).entries()) {
          // Each event's meta is the batch's with its overrides: what the collector will see.
          expect({ ...body.meta, ...(row[4] as object | undefined) }).toEqual(
            Object.fromEntries(Object.entries(batch.events[i].meta).filter(([, v]) => v !== undefined)));
        }
        sent.push(...batch.events.map((e) => e.id));
        rest = rest.slice(batch.events.length);
      }
      expect(sent).toEqual(queue.map((e) => e.id));
    }
  });
});
