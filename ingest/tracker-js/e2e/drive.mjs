// Drives shop.html in headless Chromium (Debian's, through playwright-core) for TrackerJsIT:
//   node e2e/drive.mjs PAGE_URL CONTROL_URL
// Browses, clicks, submits, throws, identifies; then, with the collector answering 503 and then
// refusing connections (switched through CONTROL_URL), tracks more and reloads the page mid-queue;
// then lets the collector back and waits until the queue is empty. Prints one JSON line: the device
// id and what the page did, for the test to compare with the lake. Waits are on conditions only.
import { chromium } from "playwright-core";

const [pageUrl, controlUrl] = process.argv.slice(2);
const CHROMIUM = process.env.SPOOR_CHROMIUM || "/usr/bin/chromium";
const control = async (mode) => {
  const response = await fetch(`${controlUrl}/${mode}`, { method: "POST" });
  if (!response.ok) throw new Error(`control ${mode}: ${response.status}`);
};
const queued = (page) => page.evaluate(() => Object.keys(localStorage)
  .filter((k) => k.startsWith("spoor_q.")).reduce((n, k) => n + JSON.parse(localStorage.getItem(k)).events.length, 0));
const delivered = (page, timeout) => page.waitForFunction(() =>
  Object.keys(localStorage).every((k) => !k.startsWith("spoor_q.")), null, { timeout, polling: 100 });
const track = (page, sku) => page.evaluate((s) => spoor.track("product_view", { sku: s, price: 9.5, category: "socks" }), sku);

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
try {
  const page = await (await browser.newContext()).newPage();
  const done = { product_views: 0 };
  await page.goto(pageUrl);
  await delivered(page, 30_000);
  await page.mouse.move(200, 200);
  await page.mouse.wheel(0, 900);
  await page.waitForFunction(() => window.__sent.names.includes("page_ping"), null, { timeout: 30_000 });
  await page.click("#nav-shoes");
  await page.click("#add");
  await page.evaluate(() => document.getElementById("newsletter").requestSubmit());
  await page.evaluate(() => setTimeout(() => { throw new Error("boom in the shop"); }, 0));
  await page.evaluate(() => spoor.identify("alice@example.com"));
  await track(page, "sku-a"); done.product_views++;
  await page.waitForFunction(() => ["element_click", "form_submit", "js_error", "add_to_cart", "product_view"]
    .every((n) => window.__sent.names.includes(n)), null, { timeout: 30_000 });

  // The collector answers 503 with Retry-After: the events wait in the queue.
  await control("unavailable");
  for (const sku of ["sku-b", "sku-c", "sku-d"]) { await track(page, sku); done.product_views++; }
  await page.waitForFunction(() => window.__sent.unavailable >= 1, null, { timeout: 30_000 });
  // Then it refuses connections; the page is reloaded with events still queued.
  await control("refuse");
  for (const sku of ["sku-e", "sku-f"]) { await track(page, sku); done.product_views++; }
  await page.waitForFunction(() => window.__sent.failed >= 1, null, { timeout: 60_000 });
  done.queued_at_reload = await queued(page);
  const before = await page.evaluate(() => window.__sent.rejections);
  await page.reload();
  await page.waitForFunction(() => typeof spoor !== "undefined");
  // Back: everything queued, from before and after the reload, goes.
  await control("forward");
  await delivered(page, 120_000);
  const cookies = await page.context().cookies();
  done.domain_userid = cookies.find((c) => c.name === "spoor_duid").value;
  done.errors = await page.evaluate(() => window.__errors || []);
  done.rejections = [...before, ...(await page.evaluate(() => window.__sent.rejections))];
  console.log(JSON.stringify(done));
} finally {
  await browser.close();
}
