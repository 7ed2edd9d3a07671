// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Tracker } from "../src/tracker";

const OPTIONS = { collector: "https://c.example", writeKey: "wk", appId: "shop", autocapture: false as const,
  flushIntervalMs: 60_000 };

function queued(): number {
  return Object.keys(localStorage).filter((k) => k.startsWith("spoor_q."))
    .reduce((n, k) => n + JSON.parse(localStorage.getItem(k)!).events.length, 0);
}

function setNavigator(name: string, value: unknown) {
  Object.defineProperty(window.navigator, name, { value, configurable: true });
}

describe("privacy switches", () => {
  let sent: string[];
  beforeEach(() => {
    localStorage.clear();
    document.cookie.split(";").forEach((c) => { document.cookie = c.split("=")[0].trim() + "=; Max-Age=0; Path=/"; });
    sent = [];
    vi.spyOn(window, "fetch").mockImplementation(async (_url, init) => {
      sent.push(String(init!.body));
      return new Response("{}", { status: 200 });
    });
    setNavigator("doNotTrack", null);
    setNavigator("globalPrivacyControl", undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  it("tracks normally without a signal", async () => {
    const tracker = new Tracker(window, OPTIONS);
    tracker.track("page_view", { page_title: "Home" });
    expect(queued()).toBe(1);
    await tracker.flush();
    expect(sent).toHaveLength(1);
    expect(queued()).toBe(0);
  });

  it("honours Do Not Track and Global Privacy Control when configured: nothing queued, nothing stored", async () => {
    for (const [name, value] of [["doNotTrack", "1"], ["globalPrivacyControl", true]] as const) {
      setNavigator(name, value);
      const tracker = new Tracker(window, { ...OPTIONS, respectPrivacySignals: true });
      tracker.track("page_view", { page_title: "Home" });
      await tracker.flush();
      expect(queued(), name).toBe(0);
      expect(sent, name).toEqual([]);
      expect(document.cookie, name).not.toMatch(/spoor_duid=[^;]/);
      setNavigator(name, name === "doNotTrack" ? null : undefined);
    }
  });

  it("opting out forgets the queue and the ids and stops tracking until opting in", async () => {
    const tracker = new Tracker(window, OPTIONS);
    tracker.track("page_view", { page_title: "Home" });
    expect(document.cookie).toMatch(/spoor_duid=[0-9a-f-]{36}/);
    tracker.optOut();
    tracker.track("page_view", { page_title: "Again" });
    await tracker.flush();
    expect(queued()).toBe(0);
    expect(sent).toEqual([]);
    expect(document.cookie).not.toMatch(/spoor_duid=[^;]/); // expired (happy-dom keeps it, emptied)
    expect(new Tracker(window, OPTIONS).track("page_view", {})).toBeUndefined();
    expect(queued()).toBe(0); // the opt-out outlives the page
    tracker.optIn();
    tracker.track("page_view", { page_title: "Back" });
    expect(queued()).toBe(1);
  });

  it("without cookies or storage: no cookie, nothing in localStorage, events still sent", async () => {
    const tracker = new Tracker(window, { ...OPTIONS, storage: "none" });
    tracker.track("page_view", { page_title: "Home" });
    expect(document.cookie).not.toMatch(/spoor_[a-z]+=[^;]/);
    expect(Object.keys(localStorage)).toEqual([]);
    await tracker.flush();
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]).events[0][0]).toBe("page_view");
  });

  it("an event without a layout is reported, not sent", () => {
    const errors: unknown[] = [];
    const tracker = new Tracker(window, { ...OPTIONS, onError: (e) => errors.push(e) });
    tracker.track("signup", { plan: "pro" });
    expect(errors).toEqual([{ kind: "unknown-event", name: "signup" }]);
    expect(queued()).toBe(0);
  });
});
