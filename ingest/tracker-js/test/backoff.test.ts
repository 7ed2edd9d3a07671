import { describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF, nextDelay, outcomeOf, parseRetryAfter } from "../src/backoff";
import { seeded } from "./random";

describe("back-off", () => {
  it("stays within the growing, capped ceiling and spreads clients out", () => {
    const random = seeded(7);
    for (let attempt = 0; attempt < 40; attempt++) {
      const ceiling = Math.min(DEFAULT_BACKOFF.maxMs, DEFAULT_BACKOFF.baseMs * 2 ** attempt);
      const delays = Array.from({ length: 200 }, () => nextDelay(attempt, DEFAULT_BACKOFF, null, random));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...delays)).toBeLessThan(ceiling);
      expect(new Set(delays).size).toBeGreaterThan(150); // jitter: not one instant for everybody
    }
  });

  it("waits at least what Retry-After asks, up to the cap", () => {
    const random = seeded(3);
    for (let i = 0; i < 100; i++) {
      expect(nextDelay(0, DEFAULT_BACKOFF, 30_000, random)).toBeGreaterThanOrEqual(30_000);
    }
    expect(nextDelay(0, DEFAULT_BACKOFF, 10 * 3600_000, () => 0)).toBe(DEFAULT_BACKOFF.maxMs);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-12-04T20:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Fri, 04 Dec 2026 20:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Fri, 04 Dec 2026 19:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it("retries 5xx, 408, 429 and network errors, never another 4xx", () => {
    expect(outcomeOf(200)).toBe("delivered");
    expect(outcomeOf(204)).toBe("delivered");
    for (const status of [400, 401, 403, 413, 415]) {
      expect(outcomeOf(status)).toBe("rejected");
    }
    for (const status of [0, 408, 429, 500, 502, 503, 504]) {
      expect(outcomeOf(status)).toBe("retry");
    }
  });
});
