/**
 * Where the tracker keeps its state (ids, the queue): a first-party cookie, localStorage, or memory
 * only (no-cookies mode: nothing survives the page). Every access is guarded: a browser that refuses
 * storage (private mode, quota, disabled cookies) degrades to memory, never to an exception.
 */
export interface KeyValueStore {
  get(key: string): string | null;
  /** maxAgeSeconds: how long the value lives where the store can expire it (cookies). */
  set(key: string, value: string, maxAgeSeconds?: number): void;
  remove(key: string): void;
}

export class MemoryStore implements KeyValueStore {
  private readonly values = new Map<string, string>();

  get(key: string): string | null {
    return this.values.has(key) ? (this.values.get(key) as string) : null;
  }

  set(key: string, value: string): void {
    this.values.set(key, value);
  }

  remove(key: string): void {
    this.values.delete(key);
  }

  keys(): string[] {
    return Array.from(this.values.keys());
  }
}

/** localStorage, falling back to memory; lists its keys too, so it also holds the event queues. */
export class LocalStorageStore implements KeyValueStore {
  private readonly fallback = new MemoryStore();

  constructor(private readonly storage: Storage | undefined) {}

  get(key: string): string | null {
    try {
      return this.storage ? this.storage.getItem(key) : this.fallback.get(key);
    } catch {
      return this.fallback.get(key);
    }
  }

  set(key: string, value: string): void {
    try {
      if (this.storage) {
        this.storage.setItem(key, value);
        return;
      }
    } catch {
      // quota exceeded or storage disabled: keep it for this page at least
    }
    this.fallback.set(key, value);
  }

  remove(key: string): void {
    try {
      this.storage?.removeItem(key);
    } catch {
      // nothing to remove where nothing could be written
    }
    this.fallback.remove(key);
  }

  keys(): string[] {
    try {
      const storage = this.storage;
      return storage ? Array.from({ length: storage.length }, (_, i) => storage.key(i) || "") : this.fallback.keys();
    } catch {
      return this.fallback.keys();
    }
  }
}

export interface CookieOptions {
  domain?: string;
  secure: boolean;
}

export class CookieStore implements KeyValueStore {
  constructor(private readonly doc: Pick<Document, "cookie">, private readonly options: CookieOptions) {}

  get(key: string): string | null {
    const prefix = key + "=";
    for (const part of this.doc.cookie.split(";")) {
      const cookie = part.trim();
      if (cookie.startsWith(prefix)) {
        try {
          return decodeURIComponent(cookie.slice(prefix.length));
        } catch {
          return null;
        }
      }
    }
    return null;
  }

  set(key: string, value: string, maxAgeSeconds?: number): void {
    let cookie = `${key}=${encodeURIComponent(value)}; Path=/; SameSite=Lax`;
    if (maxAgeSeconds !== undefined) {
      cookie += `; Max-Age=${Math.floor(maxAgeSeconds)}`;
    }
    if (this.options.domain) {
      cookie += `; Domain=${this.options.domain}`;
    }
    if (this.options.secure) {
      cookie += "; Secure";
    }
    this.doc.cookie = cookie;
  }

  remove(key: string): void {
    this.set(key, "", 0);
  }
}
