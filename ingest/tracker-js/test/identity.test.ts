import { describe, expect, it } from "vitest";
import { Identity } from "../src/identity";
import { CookieStore, LocalStorageStore, MemoryStore } from "../src/store";
import { seeded, uuid } from "./random";

const SETTINGS = { userIdLifetimeDays: 365, sessionTimeoutMinutes: 30 };
const MINUTE = 60_000;

describe("identity", () => {
  it("keeps the device id, renews the session after 30 minutes without an event, counts sessions", () => {
    const random = seeded(11);
    const identity = new Identity(new MemoryStore(), SETTINGS, () => uuid(random));
    const first = identity.touch(0);
    const during = identity.touch(29 * MINUTE);
    const stillDuring = identity.touch(58 * MINUTE); // 29 minutes after the last event
    const after = identity.touch(58 * MINUTE + 30 * MINUTE + 1);
    expect(during).toEqual(first);
    expect(stillDuring.sessionId).toBe(first.sessionId);
    expect(after.sessionId).not.toBe(first.sessionId);
    expect(after.domainUserId).toBe(first.domainUserId);
    expect([first.sessionIndex, after.sessionIndex]).toEqual([1, 2]);
  });

  it("carries the user id after identify, and reset forgets user, device and session", () => {
    const random = seeded(12);
    const identity = new Identity(new MemoryStore(), SETTINGS, () => uuid(random));
    const anonymous = identity.touch(0);
    identity.identify("alice@example.com");
    const known = identity.touch(1);
    identity.reset();
    const next = identity.touch(2);
    expect(anonymous.userId).toBeNull();
    expect(known).toEqual({ ...anonymous, userId: "alice@example.com" });
    expect(next.userId).toBeNull();
    expect(next.domainUserId).not.toBe(anonymous.domainUserId);
    expect(next.sessionId).not.toBe(anonymous.sessionId);
  });

  it("a tampered or corrupt stored state is replaced, never thrown on", () => {
    const store = new MemoryStore();
    store.set("spoor_duid", "<script>");
    store.set("spoor_ses", "garbage");
    const ids = new Identity(store, SETTINGS, () => "0c9e4f1a-5b0e-4c1e-9a57-0f0e8d2a0b11").touch(5);
    expect(ids.domainUserId).toBe("0c9e4f1a-5b0e-4c1e-9a57-0f0e8d2a0b11");
    expect(ids.sessionIndex).toBe(1);
  });

  it("writes first-party cookies with the configured lifetime, and reads them back", () => {
    const doc = { cookie: "" };
    const jar: string[] = [];
    Object.defineProperty(doc, "cookie", {
      get: () => jar.map((c) => c.split(";")[0]).join("; "),
      set: (value: string) => { jar.splice(0, jar.length, ...jar.filter((c) => !c.startsWith(value.split("=")[0] + "=")), value); },
    });
    const store = new CookieStore(doc, { domain: ".shop.example", secure: true });
    new Identity(store, SETTINGS, () => "6f1c2f9e-5b0e-4c1e-9a57-0f0e8d2a0b11").touch(1);
    const duid = jar.find((c) => c.startsWith("spoor_duid="))!;
    expect(duid).toBe("spoor_duid=6f1c2f9e-5b0e-4c1e-9a57-0f0e8d2a0b11; Path=/; SameSite=Lax; Max-Age=31536000; "
      + "Domain=.shop.example; Secure");
    expect(store.get("spoor_duid")).toBe("6f1c2f9e-5b0e-4c1e-9a57-0f0e8d2a0b11");
  });

  it("a storage that throws (private mode, quota) degrades to memory", () => {
    const refusing = { getItem() { throw new Error("denied"); }, setItem() { throw new Error("quota"); },
      removeItem() { throw new Error("denied"); } } as unknown as Storage;
    const store = new LocalStorageStore(refusing);
    store.set("k", "v");
    expect(store.get("k")).toBe("v");
    store.remove("k");
    expect(store.get("k")).toBeNull();
  });
});
