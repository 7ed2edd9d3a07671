import { startAutocapture, type AutocaptureSettings } from "./autocapture";
import { DEFAULT_BACKOFF } from "./backoff";
import { aloneBytes, type Meta } from "./batch";
import { Delivery, type DeliveryError, type Transport } from "./delivery";
import { Identity } from "./identity";
import { BUILT_IN_LAYOUTS } from "./layouts";
import { EventQueue } from "./queue";
import { CookieStore, LocalStorageStore, MemoryStore, type KeyValueStore } from "./store";

export interface SpoorOptions {
  /** The collector's base URL, e.g. https://collector.shop.example */
  collector: string;
  /** A write key of spoor.collector.write-keys; it travels in the request body. */
  writeKey: string;
  /** The app id the write key stands for. */
  appId: string;
  /** Value order of your own events, as in spoor.ingest.compact.layouts: name -> field names. */
  layouts?: Record<string, string[]>;
  /** Which events are captured by themselves; false: none. */
  autocapture?: Partial<AutocaptureSettings> | false;
  /** Where ids live: a first-party cookie (default), localStorage, or nowhere ("none": no cookies, no storage). */
  storage?: "cookie" | "localStorage" | "none";
  cookieDomain?: string;
  userIdLifetimeDays?: number;
  sessionTimeoutMinutes?: number;
  /** At most this many events per request (the collector's max-events-per-request is 500). */
  maxEventsPerRequest?: number;
  /** At most this many bytes per request (fetch keepalive and sendBeacon allow 64 KiB). */
  maxRequestBytes?: number;
  /** How long an event may wait for others to share its request, in ms. */
  flushIntervalMs?: number;
  /** The persistent queue's bound; past it the oldest events are dropped and reported. */
  maxQueuedEvents?: number;
  /** Send nothing when the browser says Do Not Track or Global Privacy Control. */
  respectPrivacySignals?: boolean;
  /** Problems the page cannot see otherwise: events refused by the collector, dropped, unknown or too large. */
  onError?: (error: SpoorError) => void;
}

export interface TrackOptions {
  /**
   * When the event happened (ms since the epoch), if not now: an event recorded later, e.g. imported
   * from an offline app. The collector derives the event time from it and the request's sending time.
   */
  timestamp?: number;
}

export type SpoorError = DeliveryError
  | { kind: "unknown-event"; name: string }
  | { kind: "too-large"; name: string; bytes: number }
  | { kind: "dropped"; eventIds: string[] };

const OPT_OUT = "spoor_optout";

function uuid(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === "function") {
    return c.randomUUID();
  }
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => (b + 0x100).toString(16).slice(1)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function localStorageOf(win: Window): Storage | undefined {
  try {
    return win.localStorage;
  } catch {
    return undefined;
  }
}

function browserTransport(win: Window): Transport {
  return {
    async post(url, body) {
      const response = await win.fetch(url, { method: "POST", body, keepalive: body.length <= 65_000,
        credentials: "omit", headers: { "Content-Type": "text/plain;charset=UTF-8" } });
      return { status: response.status, retryAfter: response.headers.get("Retry-After") };
    },
    beacon(url, body) {
      return typeof win.navigator.sendBeacon === "function" && win.navigator.sendBeacon(url, body);
    },
  };
}

export class Tracker {
  private readonly ids: KeyValueStore;
  private readonly identity: Identity;
  private readonly queue: EventQueue;
  private readonly delivery: Delivery;
  private readonly layouts: Record<string, string[]>;
  private readonly silent: boolean;
  private readonly report: (error: SpoorError) => void;
  private referrer: string;
  private page_url: string;

  constructor(private readonly win: Window, private readonly options: SpoorOptions) {
    const storage = options.storage || "cookie";
    const local = storage === "none" ? undefined : localStorageOf(win);
    this.ids = storage === "none" ? new MemoryStore()
      : storage === "localStorage" ? new LocalStorageStore(local)
      : new CookieStore(win.document, { domain: options.cookieDomain, secure: win.location.protocol === "https:" });
    this.identity = new Identity(this.ids, { userIdLifetimeDays: options.userIdLifetimeDays || 365,
      sessionTimeoutMinutes: options.sessionTimeoutMinutes || 30 }, uuid);
    const report = (this.report = options.onError || (() => {}));
    this.queue = new EventQueue(new LocalStorageStore(local), uuid(), options.maxQueuedEvents || 1000,
      (dropped) => report({ kind: "dropped", eventIds: dropped.map((e) => e.id) }));
    this.delivery = new Delivery(this.queue, browserTransport(win),
      { now: () => Date.now(), setTimeout: (fn, ms) => win.setTimeout(fn, ms), clearTimeout: (h) => win.clearTimeout(h as number) },
      { url: options.collector.replace(/\/+$/, "") + "/v1/batch", writeKey: options.writeKey,
        limits: { maxEvents: options.maxEventsPerRequest || 100, maxBytes: options.maxRequestBytes || 60_000 },
        flushIntervalMs: options.flushIntervalMs ?? 1000, backoff: DEFAULT_BACKOFF }, Math.random, report);
    this.layouts = { ...BUILT_IN_LAYOUTS, ...(options.layouts || {}) };
    const nav = win.navigator as Navigator & { globalPrivacyControl?: boolean };
    this.silent = !!options.respectPrivacySignals && (nav.doNotTrack === "1" || nav.globalPrivacyControl === true);
    this.referrer = win.document.referrer;
    this.page_url = win.location.href;

    // Queues of tabs that went away: at start, and on every heartbeat (a tab closed meanwhile).
    const adopt = () => {
      if (this.queue.adoptOrphans(Date.now(), 10_000) > 0) {
        this.delivery.queued();
      }
    };
    adopt();
    win.setInterval(() => {
      this.queue.persist(Date.now());
      adopt();
    }, 3_000);
    win.addEventListener("pagehide", () => {
      this.delivery.beaconAll();
      this.queue.release();
    });
    win.addEventListener("pageshow", (event) => {
      if (event.persisted) {
        this.queue.reclaim(Date.now()); // back from the back-forward cache
      }
    });
    win.document.addEventListener("visibilitychange", () => {
      if (win.document.visibilityState === "hidden") {
        void this.delivery.flush();
      }
    });
    win.addEventListener("online", () => void this.delivery.flush());
    if (options.autocapture !== false) {
      const a = options.autocapture || {};
      startAutocapture(win, { pageViews: a.pageViews !== false, clicks: a.clicks !== false, forms: a.forms !== false,
        errors: a.errors !== false, pagePingSeconds: a.pagePingSeconds ?? 10, mouseMoveMs: a.mouseMoveMs || 0 },
        (name, properties) => this.track(name, properties), (url) => this.navigated(url));
    }
  }

  private get optedOut(): boolean {
    return this.silent || this.ids.get(OPT_OUT) === "1";
  }

  private navigated(url: string): void {
    this.referrer = this.page_url;
    this.page_url = url;
  }

  /**
   * Records an event; its properties are laid out by the event's layout. Returns the event's id, or
   * undefined when nothing was recorded (opted out, unknown event, too large: see onError).
   */
  track(name: string, properties: Record<string, unknown> = {}, options: TrackOptions = {}): string | undefined {
    if (this.optedOut) {
      return undefined;
    }
    const report = this.report;
    const layout = this.layouts[name];
    if (!layout) {
      report({ kind: "unknown-event", name });
      return undefined;
    }
    const now = Date.now();
    const ids = this.identity.touch(now);
    const meta: Meta = { app_id: this.options.appId, platform: "web", domain_userid: ids.domainUserId,
      domain_sessionid: ids.sessionId, page_url: this.page_url };
    if (ids.userId) {
      meta.user_id = ids.userId;
    }
    if (this.referrer) {
      meta.page_referrer = this.referrer;
    }
    const event = { name, id: uuid(), created: options.timestamp ?? now, values: layout.map((f) => properties[f] ?? null), meta };
    const bytes = aloneBytes(event, this.options.writeKey);
    if (bytes > (this.options.maxRequestBytes || 60_000)) {
      report({ kind: "too-large", name, bytes });
      return undefined;
    }
    this.queue.push(event, now);
    this.delivery.queued();
    return event.id;
  }

  /** A page view now (single-page apps with page-view autocapture off). */
  page(title?: string, options?: TrackOptions): string | undefined {
    this.navigated(this.win.location.href);
    return this.track("page_view", { page_title: title ?? this.win.document.title }, options);
  }

  identify(userId: string): void {
    this.identity.identify(userId);
  }

  /** Forgets the user, device and session ids (a log-out). */
  reset(): void {
    this.identity.reset();
  }

  /** Stops tracking in this browser and forgets its ids and queued events; optIn() undoes it. */
  optOut(): void {
    this.queue.remove(this.queue.snapshot().map((e) => e.id), Date.now());
    this.identity.reset();
    this.ids.set(OPT_OUT, "1", 5 * 365 * 86400);
  }

  optIn(): void {
    this.ids.remove(OPT_OUT);
  }

  /** Sends what is queued now (resolves when the collector answered, or a wait began). */
  flush(): Promise<void> {
    return this.delivery.flush();
  }
}
