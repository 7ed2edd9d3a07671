/**
 * Compact batches (`POST /v1/batch`): `{sent_at, write_key, meta, events: [[name, event_id, created_ms,
 * [values…], {meta overrides}?], …]}`. The batch's meta is its first event's; a later event carries
 * only the fields that differ. A batch never exceeds the collector's limits (events per request,
 * body bytes), which the caller passes as the smaller of the collector's and the transport's (64 KiB
 * for fetch keepalive and sendBeacon).
 */
export interface Meta {
  app_id: string;
  platform: string;
  domain_userid: string;
  domain_sessionid: string;
  user_id?: string;
  page_url?: string;
  page_referrer?: string;
}

export interface QueuedEvent {
  name: string;
  /** A UUID minted when the event happened: every retry carries it, so copies are de-duplicated. */
  id: string;
  /** Device time of the event, ms. */
  created: number;
  values: unknown[];
  meta: Meta;
}

export interface Limits {
  maxEvents: number;
  maxBytes: number;
}

export interface Batch {
  events: QueuedEvent[];
  body: string;
}

const encoder = new TextEncoder();

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

function overrides(batch: Meta, event: Meta): Partial<Meta> | null {
  const changed: Record<string, string> = {};
  let any = false;
  for (const key of Object.keys(event) as (keyof Meta)[]) {
    const value = event[key];
    if (value !== undefined && value !== batch[key]) {
      changed[key] = value;
      any = true;
    }
  }
  return any ? (changed as Partial<Meta>) : null;
}

/** An event may join a batch whose meta it can express: it lacks no field the batch's meta has. */
function fits(batch: Meta, event: Meta): boolean {
  return (Object.keys(batch) as (keyof Meta)[]).every((key) => batch[key] === undefined || event[key] !== undefined);
}

function encodeEvent(batch: Meta, event: QueuedEvent): string {
  const changed = overrides(batch, event.meta);
  const row: unknown[] = [event.name, event.id, event.created, event.values];
  if (changed) {
    row.push(changed);
  }
  return JSON.stringify(row);
}

function header(meta: Meta, writeKey: string, sentAt: number): string {
  return `{"sent_at":${sentAt},"write_key":${JSON.stringify(writeKey)},"meta":${JSON.stringify(meta)},"events":[`;
}

/** The size of the batch that would hold `event` alone: over maxBytes, it can never be sent. */
export function aloneBytes(event: QueuedEvent, writeKey: string): number {
  return utf8Length(header(event.meta, writeKey, Date.now()) + encodeEvent(event.meta, event) + "]}");
}

/**
 * The longest prefix of `queue` that makes one batch within `limits` (at least one event when the
 * queue is not empty and its first event fits alone), and its body.
 */
export function takeBatch(queue: readonly QueuedEvent[], limits: Limits, writeKey: string, sentAt: number): Batch | null {
  if (queue.length === 0) {
    return null;
  }
  const meta = queue[0].meta;
  const start = header(meta, writeKey, sentAt);
  let bytes = utf8Length(start) + 2; // "]}"
  const parts: string[] = [];
  const events: QueuedEvent[] = [];
  for (const event of queue) {
    if (events.length >= limits.maxEvents || !fits(meta, event.meta)) {
      break;
    }
    const part = encodeEvent(meta, event);
    const added = utf8Length(part) + (parts.length > 0 ? 1 : 0);
    if (bytes + added > limits.maxBytes) {
      break;
    }
    bytes += added;
    parts.push(part);
    events.push(event);
  }
  return events.length === 0 ? null : { events, body: start + parts.join(",") + "]}" };
}
