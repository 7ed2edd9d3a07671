/**
 * What spoor.js records by itself, each switchable: page views (the first, and every History API
 * navigation or popstate of a single-page app), clicks on links and buttons (id, classes, text, href;
 * never an input's value), form submissions (form id, classes and field names; never values),
 * uncaught JavaScript errors, page pings with scroll depth while the user is active, and throttled
 * mouse movement (off by default).
 */
export interface AutocaptureSettings {
  pageViews: boolean;
  clicks: boolean;
  forms: boolean;
  errors: boolean;
  /** Seconds between pings while the user is active; 0 turns pings off. */
  pagePingSeconds: number;
  /** At most one mouse_move per this many ms; 0 (the default) turns it off. */
  mouseMoveMs: number;
}

export type Emit = (name: string, properties: Record<string, unknown>) => void;

const TEXT_LIMIT = 100;

function text(value: string | null | undefined): string | null {
  const trimmed = (value || "").replace(/\s+/g, " ").trim();
  return trimmed ? trimmed.slice(0, TEXT_LIMIT) : null;
}

function classes(element: Element): string[] {
  return Array.from(element.classList || []).slice(0, 20);
}

export function startAutocapture(win: Window, settings: AutocaptureSettings, emit: Emit,
    navigated: (url: string) => void): void {
  const doc = win.document;
  if (settings.pageViews) {
    let last = win.location.href;
    const changed = () => {
      if (win.location.href !== last) {
        last = win.location.href;
        navigated(last);
        emit("page_view", { page_title: doc.title });
      }
    };
    for (const method of ["pushState", "replaceState"] as const) {
      const original = win.history[method];
      win.history[method] = function (this: History, ...args: Parameters<History["pushState"]>) {
        const result = original.apply(this, args);
        changed();
        return result;
      };
    }
    win.addEventListener("popstate", changed);
    emit("page_view", { page_title: doc.title });
  }
  if (settings.clicks) {
    doc.addEventListener("click", (event) => {
      const target = event.target instanceof Element ? event.target.closest("a,button,input[type=submit],input[type=button]") : null;
      if (target) {
        const href = target instanceof HTMLAnchorElement ? target.href : null;
        // An input button's label is its value attribute: the only value ever read, and only for buttons.
        const label = target instanceof HTMLInputElement ? target.value : target.textContent;
        emit("element_click", { tag: target.tagName.toLowerCase(), element_id: target.id || null,
          element_classes: classes(target), element_text: text(label), target_url: href });
      }
    }, true);
  }
  if (settings.forms) {
    doc.addEventListener("submit", (event) => {
      const form = event.target;
      if (form instanceof HTMLFormElement) {
        const names = Array.from(form.elements).map((e) => (e as HTMLInputElement).name).filter((n) => !!n);
        emit("form_submit", { form_id: form.id || null, form_classes: classes(form),
          field_names: Array.from(new Set(names)).slice(0, 100) });
      }
    }, true);
  }
  if (settings.errors) {
    win.addEventListener("error", (event) => {
      if (event instanceof ErrorEvent) {
        emit("js_error", { message: text(event.message) || "error", source: event.filename || null,
          line: event.lineno || null, column: event.colno || null });
      }
    });
  }
  let active = false;
  let engaged = 0;
  const activity = () => { active = true; };
  for (const type of ["scroll", "mousemove", "keydown", "click", "touchstart"]) {
    win.addEventListener(type, activity, { passive: true });
  }
  if (settings.pagePingSeconds > 0) {
    let maxScroll = 0;
    win.addEventListener("scroll", () => { maxScroll = Math.max(maxScroll, win.scrollY); }, { passive: true });
    win.setInterval(() => {
      if (!active || doc.visibilityState === "hidden") {
        return;
      }
      active = false;
      engaged += settings.pagePingSeconds;
      const height = Math.max(doc.documentElement.scrollHeight, 1);
      const seen = Math.min(height, maxScroll + win.innerHeight);
      emit("page_ping", { scroll_depth_pct: Math.round((seen / height) * 100), max_scroll_y: Math.round(maxScroll),
        doc_height: height, engaged_seconds: engaged });
    }, settings.pagePingSeconds * 1000);
  }
  if (settings.mouseMoveMs > 0) {
    let lastMove = 0;
    win.addEventListener("mousemove", (event) => {
      const now = Date.now();
      if (now - lastMove >= settings.mouseMoveMs) {
        lastMove = now;
        emit("mouse_move", { x: event.clientX, y: event.clientY, viewport_width: win.innerWidth,
          viewport_height: win.innerHeight });
      }
    }, { passive: true });
  }
}
