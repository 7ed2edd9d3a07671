/**
 * When to try a failed delivery again: exponential back-off with full jitter (a random delay between
 * 0 and base * 2^attempt, capped), so a fleet of browsers that lost the collector together does not
 * come back together; a Retry-After the collector sent is a floor.
 */
export interface BackoffPolicy {
  /** First ceiling, in ms. */
  baseMs: number;
  /** Largest ceiling, in ms. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 5 * 60 * 1000 };

/** The delay before attempt `attempt + 1` (attempt 0 just failed), in ms. */
export function nextDelay(attempt: number, policy: BackoffPolicy, retryAfterMs: number | null,
    random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * Math.pow(2, Math.min(attempt, 30)));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, policy.maxMs));
}

/**
 * A Retry-After header in ms: delta-seconds or an HTTP date (RFC 9110), null when absent or
 * unreadable. A date in the past is 0.
 */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (header === null) {
    return null;
  }
  const text = header.trim();
  if (/^\d+$/.test(text)) {
    return Number(text) * 1000;
  }
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** What an answer means for the events it carried. */
export type Outcome = "delivered" | "rejected" | "retry";

/**
 * 2xx: delivered. 4xx: the collector kept a bad row (or refused the request for good): never retried,
 * except 408 (timeout) and 429 (too many requests). 5xx and network errors (status 0): retried.
 */
export function outcomeOf(status: number): Outcome {
  if (status >= 200 && status < 300) {
    return "delivered";
  }
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return "rejected";
  }
  return "retry";
}
