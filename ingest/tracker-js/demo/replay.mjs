// Replays planned visits through spoor.js in headless Chromium (Debian's, through playwright-core),
// for `bin/spoor demo`:  node demo/replay.mjs VISITS_JSON
// VISITS_JSON: {collector, writeKey, appId, layouts, users: [{user, visits: [[{name, at, properties}]]}]}.
// Each user browses in a browser context of their own (their own cookies and localStorage): every
// visit is a page load of a shop page at an allowed origin (routed, no server), where the user is
// identified and the visit's events are tracked with the time they happened; loading the next visit
// sends what is still queued with sendBeacon on pagehide, and the new page re-sends it from the queue
// (the collector accepts both copies; landing keeps one). Waits until each queue is empty. Prints one
// JSON line: {ids: {user: [event ids in the visits' order]}, requests}. Fails (exit 1) on any event
// spoor.js reports (refused, dropped, unknown, too large).
import { chromium } from "playwright-core";
import { readFile } from "node:fs/promises";

const input = JSON.parse(await readFile(process.argv[2], "utf8"));
const CHROMIUM = process.env.SPOOR_CHROMIUM || "/usr/bin/chromium";
const ORIGIN = "http://localhost:3000"; // in spoor.collector.allowed-origins; never bound, Playwright serves it
const LANES = 4;
const script = await readFile(new URL("../dist/spoor.min.js", import.meta.url), "utf8");
const settings = { collector: input.collector, writeKey: input.writeKey, appId: input.appId, layouts: input.layouts,
  autocapture: false, flushIntervalMs: 100 };
const html = `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>
<script src="/spoor.min.js"></script>
<script>spoor.init({ ...${JSON.stringify(settings)}, onError: (e) => window.spoorError(e) });</script>
</head><body><h1>Shop</h1></body></html>`;

const queueEmpty = (page) => page.waitForFunction(() =>
  Object.keys(localStorage).every((k) => !k.startsWith("spoor_q.")), null, { timeout: 60_000, polling: 50 });

async function browse(browser, { user, visits }, problems, counts) {
  const context = await browser.newContext({ permissions: ["local-network-access"] });
  try {
    await context.exposeFunction("spoorError", (e) => problems.push({ user, ...e }));
    await context.route(`${ORIGIN}/**`, (route) => route.request().url().endsWith("/spoor.min.js")
      ? route.fulfill({ contentType: "text/javascript", body: script })
      : route.fulfill({ contentType: "text/html", body: html }));
    const page = await context.newPage();
    page.on("request", (r) => { if (r.method() === "POST" && r.url().endsWith("/v1/batch")) counts.requests++; });
    const ids = [];
    for (const events of visits) {
      await page.goto(`${ORIGIN}/`);
      ids.push(...await page.evaluate(({ user, events }) => {
        spoor.identify(user);
        return events.map((e) => e.name === "page_view"
          ? spoor.page(e.properties.page_title, { timestamp: e.at })
          : spoor.track(e.name, e.properties, { timestamp: e.at }));
      }, { user, events }));
    }
    await queueEmpty(page);
    return ids;
  } finally {
    await context.close();
  }
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
try {
  const problems = [];
  const counts = { requests: 0 };
  const ids = {};
  const users = [...input.users];
  await Promise.all(Array.from({ length: LANES }, async () => {
    for (let next = users.shift(); next; next = users.shift()) {
      ids[next.user] = await browse(browser, next, problems, counts);
    }
  }));
  if (problems.length > 0) {
    console.error(`spoor.js reported ${problems.length} problems: ${JSON.stringify(problems.slice(0, 5))}`);
    process.exitCode = 1;
  } else {
    console.log(JSON.stringify({ ids, requests: counts.requests }));
  }
} finally {
  await browser.close();
}
