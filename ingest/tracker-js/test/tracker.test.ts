// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Tracker } from "../src/tracker";

const OPTIONS = { collector: "https://c.example", writeKey: "wk", appId: "shop", autocapture: false as const,
  flushIntervalMs: 60_000 };

describe("track", () => {
  let sent: { sent_at: number; events: unknown[][] }[];
  beforeEach(() => {
    localStorage.clear();
    sent = [];
    vi.spyOn(window, "fetch").mockImplementation(async (_url, init) => {
      sent.push(JSON.parse(String(init!.body)));
      return new Response("{}", { status: 200 });
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it("returns the id each event is sent with, and undefined for an event it did not record", async () => {
    const tracker = new Tracker(window, OPTIONS);
    const ids = [tracker.track("page_view", { page_title: "Home" }), tracker.page("Shoes")];
    expect(tracker.track("no_such_event", {})).toBeUndefined();
    await tracker.flush();
    expect(ids.every((id) => /^[0-9a-f-]{36}$/.test(id!))).toBe(true);
    expect(sent.flatMap((b) => b.events.map((e) => e[1]))).toEqual(ids);
  });

  it("sends an event that happened earlier with its own time as device time, and the sending time as sent_at", async () => {
    const tracker = new Tracker(window, OPTIONS);
    const earlier = Date.now() - 3 * 86_400_000;
    tracker.track("page_view", { page_title: "Home" }, { timestamp: earlier });
    tracker.page("Now");
    const before = Date.now();
    await tracker.flush();
    const [batch] = sent;
    expect(batch.events[0][2]).toBe(earlier);
    expect(batch.events[1][2]).toBeGreaterThanOrEqual(earlier + 3 * 86_400_000);
    expect(batch.sent_at).toBeGreaterThanOrEqual(before);
  });
});
