/**
 * spoor.js: Spoor's browser tracker. `init` once, then `track`, `identify`, `reset`, `page`; events are
 * queued in localStorage and sent to the collector's compact batch route (POST /v1/batch).
 */
import { Tracker, type SpoorError, type SpoorOptions, type TrackOptions } from "./tracker";

export type { SpoorError, SpoorOptions, TrackOptions };
export { Tracker };

let tracker: Tracker | null = null;

function current(): Tracker {
  if (!tracker) {
    throw new Error("spoor: call spoor.init({collector, writeKey, appId}) first");
  }
  return tracker;
}

export function init(options: SpoorOptions): Tracker {
  if (!options || !options.collector || !options.writeKey || !options.appId) {
    throw new Error("spoor.init: collector, writeKey and appId are required");
  }
  tracker = new Tracker(window, options);
  return tracker;
}

export const track = (name: string, properties?: Record<string, unknown>, options?: TrackOptions) =>
  current().track(name, properties, options);
export const page = (title?: string, options?: TrackOptions) => current().page(title, options);
export const identify = (userId: string) => current().identify(userId);
export const reset = () => current().reset();
export const optOut = () => current().optOut();
export const optIn = () => current().optIn();
export const flush = () => current().flush();
