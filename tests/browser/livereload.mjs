// Live reload in a real browser: open a page served by `policyc serve`,
// change its source, and wait for the open page to show the change by
// itself (the injected script reloads it).
//
//   node livereload.mjs PAGE_URL SOURCE_FILE OLD_TEXT NEW_TEXT EXPECTED_H1
//
// Exits 1 when the page has not reloaded with EXPECTED_H1 within 10 s.

import { chromium } from "playwright-core";
import { readFileSync, writeFileSync } from "node:fs";

const [url, source, oldText, newText, expected] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage();
const errors = [];
page.on("console", (msg) => msg.type() === "error" && errors.push(msg.text()));
page.on("pageerror", (err) => errors.push(err.message));
await page.goto(url, { waitUntil: "load" });
const before = await page.locator("h1").innerText();
// Let the page take its first reading of the page's version.
await page.waitForRequest((r) => r.url().includes("/__policyc/reload"), { timeout: 5000 });
const start = Date.now();
const text = readFileSync(source, "utf8");
if (!text.includes(oldText)) {
  console.log(`FAIL ${source} does not contain ${oldText}`);
  process.exit(1);
}
writeFileSync(source, text.replace(oldText, newText));
let ok = true;
try {
  await page.waitForFunction((h1) => document.querySelector("h1")?.textContent === h1, expected, {
    timeout: 10000,
    polling: 50,
  });
  console.log(`ok   the open page reloaded by itself in ${Date.now() - start} ms: “${before}” → “${expected}”`);
} catch {
  console.log(`FAIL the open page still shows “${await page.locator("h1").innerText()}” after 10 s`);
  ok = false;
}
for (const e of errors) console.log(`FAIL console error: ${e}`);
await browser.close();
process.exit(ok && errors.length === 0 ? 0 : 1);
