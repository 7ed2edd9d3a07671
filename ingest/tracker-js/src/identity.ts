import type { KeyValueStore } from "./store";

/**
 * Who and which visit an event belongs to: a first-party domain user id (a random UUID kept for
 * `userIdLifetimeDays`, renewed on each visit), a session id that changes after `sessionTimeoutMinutes`
 * without an event, and the user id given to identify(). reset() forgets all three (a log-out).
 */
export interface IdentitySettings {
  userIdLifetimeDays: number;
  sessionTimeoutMinutes: number;
}

export interface Ids {
  domainUserId: string;
  sessionId: string;
  /** Which session of this device this is: 1, 2, … */
  sessionIndex: number;
  userId: string | null;
}

const DUID = "spoor_duid";
const SESSION = "spoor_ses";
const UID = "spoor_uid";

export class Identity {
  constructor(private readonly store: KeyValueStore, private readonly settings: IdentitySettings,
      private readonly uuid: () => string) {}

  /** The ids of an event happening at `now` (ms); touching the session keeps it alive. */
  touch(now: number): Ids {
    const lifetime = this.settings.userIdLifetimeDays * 86400;
    let domainUserId = this.store.get(DUID);
    if (!domainUserId || !/^[0-9a-f-]{36}$/.test(domainUserId)) {
      domainUserId = this.uuid();
    }
    this.store.set(DUID, domainUserId, lifetime);

    const timeout = this.settings.sessionTimeoutMinutes * 60 * 1000;
    const [id, last, index] = (this.store.get(SESSION) || "").split(".");
    const lastActivity = last ? Number(last) : NaN;
    let sessionId = id;
    let sessionIndex = Number(index) || 0;
    if (!sessionId || !Number.isFinite(lastActivity) || now - lastActivity > timeout) {
      sessionId = this.uuid();
      sessionIndex += 1;
    }
    this.store.set(SESSION, `${sessionId}.${now}.${sessionIndex}`, lifetime);
    return { domainUserId, sessionId, sessionIndex, userId: this.store.get(UID) };
  }

  identify(userId: string): void {
    this.store.set(UID, userId, this.settings.userIdLifetimeDays * 86400);
  }

  reset(): void {
    this.store.remove(UID);
    this.store.remove(SESSION);
    this.store.remove(DUID);
  }
}
