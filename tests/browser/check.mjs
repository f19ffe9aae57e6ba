// Browser checks of a built site, in Debian's headless chromium driven by
// playwright-core (tests/suite/browser.rs runs setup.sh, builds the seeds,
// then this script).
//
//   node check.mjs SITE_DIR SCREENSHOT_DIR [SLUG_TO_SCREENSHOT ...]
//
// For every page: no console errors and nothing fetched from outside the
// site; every table-of-contents link names an element that exists and is
// visible, and clicking one lands there; the title, first-level and
// second-level headings and the body are rendered in the first family of
// their stack that is installed (read back from chromium's own record of the
// platform font it used); print media hides the navigation and prints A4
// pages with page numbers; text has a contrast of at least 4.5:1. The
// index's filter and sort work, and pages work
// without JavaScript. Screenshots (screen, narrow screen, printed pages) of
// the named slugs go to SCREENSHOT_DIR. Every link is `#id` or `./` and a
// percent-encoded file in the site; with CLICK_EVERY_LINK=1 each is also
// clicked and must land on an existing page (and element) of the site with
// no dialog opened. Exits 1 with a list of failures.

import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [siteArg, shotsArg, ...shotSlugs] = process.argv.slice(2);
if (!siteArg || !shotsArg) {
  console.error("usage: node check.mjs SITE_DIR SCREENSHOT_DIR [SLUG ...]");
  process.exit(2);
}
const site = resolve(siteArg);
const clickEveryLink = process.env.CLICK_EVERY_LINK === "1";
const shots = resolve(shotsArg);
mkdirSync(shots, { recursive: true });

const failures = [];
const notes = [];
const fail = (page, what) => failures.push(`${page}: ${what}`);

// A4 in PostScript points, and how far a PDF's page box may be from it.
const A4 = [595.28, 841.89];
const A4_SLACK = 3;

const installed = new Set(
  execFileSync("fc-list", [":", "family"], { encoding: "utf8" })
    .split("\n")
    .flatMap((line) => line.split(","))
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean),
);

function firstInstalled(stack) {
  for (const raw of stack.split(",")) {
    const family = raw.trim().replace(/^["']|["']$/g, "");
    if (installed.has(family.toLowerCase())) return family;
  }
  return null;
}

// Playwright gives every launch a fresh temporary --user-data-dir.
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

async function openPage(context, name) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`uncaught exception: ${err.message}`));
  page.on("request", (req) => {
    if (!req.url().startsWith("file://")) problems.push(`fetched from outside: ${req.url()}`);
  });
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()}`));
  page.on("dialog", (dialog) => {
    problems.push(`a dialog opened: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  // Generous: on a shared 2-core machine, with the test suite running
  // beside it, Chromium once took over 5 s to load a 40 KB page.
  page.setDefaultTimeout(30000);
  await page.goto(pathToFileURL(join(site, name)).href, { waitUntil: "load" });
  return { page, problems };
}

async function platformFont(cdp, selector) {
  const { root } = await cdp.send("DOM.getDocument", { depth: 0 });
  const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector });
  if (!nodeId) return null;
  const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
  if (!fonts.length) return null;
  return fonts.slice().sort((a, b) => b.glyphCount - a.glyphCount)[0].familyName;
}

async function checkFonts(page, context, name) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("DOM.enable");
  await cdp.send("CSS.enable");
  // [role, selector, whether a stack without any installed family fails]
  const roles = [
    ["title", "main h1:first-of-type", true],
    ["first-level heading", "section.node.depth-0 > :is(h2, h3)", true],
    ["second-level heading", "section.node.section > :is(h2, h3, h4)", false],
    ["body text", "section.node p:not(.owners)", false],
  ];
  let checked = 0;
  for (const [role, selector, required] of roles) {
    const stack = await page.evaluate((s) => {
      const el = document.querySelector(s);
      return el && getComputedStyle(el).fontFamily;
    }, selector);
    if (!stack) continue;
    const expected = firstInstalled(stack);
    if (!expected) {
      if (required) fail(name, `${role}: none of ${stack} is installed (setup.sh installs fonts-noto-cjk)`);
      else notes.push(`${name}: ${role}: none of its families is installed, not checked`);
      continue;
    }
    const used = await platformFont(cdp, selector);
    if (!used || used.toLowerCase() !== expected.toLowerCase()) {
      fail(name, `${role} (${selector}) rendered in ${used}, expected ${expected}`);
    } else {
      checked += 1;
      notes.push(`${name}: ${role} in ${used}`);
    }
  }
  if (checked === 0 && name !== "index.html") fail(name, "no heading's font could be checked");
  await cdp.detach();
}

// WCAG 2 contrast of every piece of text against what lies behind it
// (the nearest opaque background up the tree), at least 4.5:1.
async function checkContrast(page, name) {
  const low = await page.evaluate(() => {
    const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || c[3] === 1) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const el = t.parentElement;
      if (!t.textContent.trim() || seen.has(el) || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      seen.add(el);
      const style = getComputedStyle(el);
      let alpha = 1;
      for (let e = el; e; e = e.parentElement) alpha *= Number(getComputedStyle(e).opacity);
      const fg = rgb(style.color);
      const bg = background(el);
      const a = (fg.length === 4 ? fg[3] : 1) * alpha;
      const seenFg = fg.slice(0, 3).map((c, i) => c * a + bg[i] * (1 - a));
      const [hi, lo] = [lum(seenFg), lum(bg)].sort((x, y) => y - x);
      const ratio = (hi + 0.05) / (lo + 0.05);
      if (ratio < 4.5) out.push(`${el.tagName.toLowerCase()}.${el.className} “${t.textContent.trim().slice(0, 12)}” ${ratio.toFixed(2)}:1`);
    }
    return out;
  });
  for (const item of low.slice(0, 5)) fail(name, `low contrast: ${item}`);
}

// A run-in title (（一）加强组织领导。) shares its line with the start of
// its text, as the official layout prints it: the title's last line box
// and the paragraph's first overlap vertically.
async function checkRunIn(page, name) {
  const result = await page.evaluate(() => {
    const titles = Array.from(document.querySelectorAll(".node > .run-in"));
    const apart = titles.filter((h) => {
      const p = h.nextElementSibling;
      const a = Array.from(h.getClientRects()).pop();
      const b = p && p.getClientRects()[0];
      return !a || !b || !(a.top < b.bottom && b.top < a.bottom);
    });
    return { count: titles.length, apart: apart.map((h) => h.textContent.trim().slice(0, 14)) };
  });
  if (result.apart.length) fail(name, `run-in titles on a line of their own: ${result.apart.slice(0, 3).join(", ")}`);
  else if (result.count) runInChecked.push(`${name}: ${result.count}`);
}
const runInChecked = [];

async function checkToc(page, name) {
  const links = await page.evaluate(() =>
    Array.from(document.querySelectorAll(".toc a[href^='#']")).map((a) => {
      const id = decodeURIComponent(a.getAttribute("href").slice(1));
      const target = document.getElementById(id);
      const box = target && target.getBoundingClientRect();
      return {
        id,
        exists: Boolean(target),
        visible: Boolean(target && target.checkVisibility({ visibilityProperty: true }) && box.width > 0 && box.height > 0),
      };
    }),
  );
  if (!sitePages.has(name) && links.length === 0) fail(name, "no table-of-contents links");
  for (const link of links) {
    if (!link.exists) fail(name, `TOC link #${link.id} names no element`);
    else if (!link.visible) fail(name, `TOC link #${link.id} lands on an invisible element`);
  }
  // Click the first and the last: the page must scroll the target into view.
  for (const link of [links[0], links[links.length - 1]].filter(Boolean)) {
    await page.click(`.toc a[href='#${link.id}']`);
    const landed = await page.evaluate((id) => {
      const box = document.getElementById(id).getBoundingClientRect();
      return location.hash === "#" + id && box.top < window.innerHeight && box.bottom > 0;
    }, link.id);
    if (!landed) fail(name, `clicking TOC link #${link.id} did not bring it into view`);
  }
  return links.length;
}

// A link policyc writes: a fragment of this page, or `./` and a
// percent-encoded file name (RFC 3986 unreserved characters and %XX only).
const LINK = /^(#[A-Za-z0-9._~%-]+|\.\/[A-Za-z0-9._~%-]+(#[A-Za-z0-9._~%-]+)?)$/;

// Files a clicked link downloaded: their aborted navigation is no failure.
const downloaded = new Set();

async function checkLinks(page, name) {
  // From a fresh load: the checks before may have sorted or filtered rows.
  const base = page.url();
  await page.goto(base, { waitUntil: "load" });
  const hrefs = await page.evaluate(() => Array.from(document.querySelectorAll("a[href]"), (a) => a.getAttribute("href")));
  let clicked = 0;
  for (const [i, href] of hrefs.entries()) {
    if (!LINK.test(href)) {
      fail(name, `link ${i} has href ${JSON.stringify(href)}: not #id nor ./ and a percent-encoded file`);
      continue;
    }
    const target = new URL(href, base);
    const file = fileURLToPath(new URL(target.pathname, target));
    if (target.protocol !== "file:" || !file.startsWith(site + "/") || !existsSync(file)) {
      fail(name, `link ${href} leads to ${target.href}, no file of the site`);
      continue;
    }
    if (!clickEveryLink) continue;
    // A link within the page moves to its fragment; any other loads a page
    // or, for a file chromium does not show (.yaml), downloads it.
    const here = new URL(page.url());
    const samePage = target.hash && target.pathname === here.pathname;
    const outcome = samePage
      ? page.waitForURL(target.href).then(() => "page")
      : Promise.race([
          page.waitForEvent("load").then(() => "page"),
          page.waitForEvent("download").then((d) => (d.url() === target.href ? "download" : `download of ${d.url()}`)),
        ]);
    // A click as the reader makes it, hidden links (permalinks) included.
    await page.evaluate((k) => document.querySelectorAll("a[href]")[k].click(), i);
    const how = await outcome.catch((err) => String(err.message).split("\n")[0]);
    if (how === "download") {
      downloaded.add(target.href);
      clicked += 1;
      continue;
    }
    if (how !== "page" || page.url() !== target.href) {
      fail(name, `clicking ${href} gave ${how} at ${page.url()}, not ${target.href}`);
      await page.goto(base, { waitUntil: "load" });
      continue;
    }
    if (target.hash) {
      const id = decodeURIComponent(target.hash.slice(1));
      if (!(await page.evaluate((id) => Boolean(document.getElementById(id)), id))) {
        fail(name, `clicking ${href} lands on a page without #${id}`);
      }
    }
    clicked += 1;
    if (page.url().split("#")[0] !== base.split("#")[0]) await page.goto(base, { waitUntil: "load" });
  }
  return [hrefs.length, clicked];
}

function pdfPages(pdf) {
  const text = pdf.toString("latin1");
  return Array.from(text.matchAll(/\/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]/g)).map((m) => [
    Number(m[3]) - Number(m[1]),
    Number(m[4]) - Number(m[2]),
  ]);
}

async function checkPrint(page, name, screenshot) {
  await page.emulateMedia({ media: "print" });
  const chrome = await page.evaluate(() =>
    Array.from(document.querySelectorAll(".site-header, .toc, .permalink, .filters"))
      .filter((el) => getComputedStyle(el).display !== "none")
      .map((el) => el.className),
  );
  if (chrome.length) fail(name, `navigation chrome shown in print: ${[...new Set(chrome)].join(", ")}`);
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  await page.emulateMedia({ media: "screen" });
  const pages = pdfPages(pdf);
  if (pages.length === 0) fail(name, "printing gave no pages");
  for (const [i, [w, h]] of pages.entries()) {
    if (Math.abs(w - A4[0]) > A4_SLACK || Math.abs(h - A4[1]) > A4_SLACK) {
      fail(name, `printed page ${i + 1} is ${w.toFixed(1)} × ${h.toFixed(1)} pt, not A4`);
    }
  }
  const pdfPath = join(shots, `${name.replace(/\.html$/, "")}.pdf`);
  writeFileSync(pdfPath, pdf);
  const text = execFileSync("pdftotext", ["-layout", pdfPath, "-"], { encoding: "utf8" });
  // pdftotext separates pages with form feeds; each page carries its number.
  const texts = text.split("\f");
  for (let n = 1; n <= pages.length; n++) {
    if (!new RegExp(`—\\s*${n}\\s*—`).test(texts[n - 1] || "")) {
      fail(name, `printed page ${n} has no page number “— ${n} —”`);
    }
  }
  if (screenshot) {
    execFileSync("pdftoppm", ["-png", "-r", "50", "-f", "1", "-l", "2", pdfPath, join(shots, `${name.replace(/\.html$/, "")}-print`)]);
  }
  return pages.length;
}

async function checkIndex(page, name) {
  const rows = await page.locator("#policies tbody tr").count();
  if (rows === 0) fail(name, "the index lists no policy");
  if (await page.locator("#filters").isHidden()) fail(name, "the filter form stays hidden with script on");
  const firstTitle = await page.locator("#policies tbody tr:first-child td:first-child").innerText();
  await page.fill("#filter", firstTitle);
  const shown = await page.locator("#policies tbody tr:visible").count();
  if (shown < 1 || shown >= rows) fail(name, `filtering by “${firstTitle}” shows ${shown} of ${rows} rows`);
  await page.fill("#filter", "");
  await page.click("#policies thead th:first-child button");
  const titles = await page.locator("#policies tbody tr td:first-child").allInnerTexts();
  const sorted = titles.slice().sort((a, b) => a.localeCompare(b, "zh-CN"));
  if (JSON.stringify(titles) !== JSON.stringify(sorted)) fail(name, "sorting by title does not sort the rows");
  const sort = await page.getAttribute("#policies thead th:first-child", "aria-sort");
  if (sort !== "ascending") fail(name, `sorted column says aria-sort=${sort}`);
  // Each unit of the owners summary leads to its section of owners.html.
  const units = await page.locator(".owners-index a[href^='./owners.html#']").evaluateAll((as) =>
    as.map((a) => decodeURIComponent(a.getAttribute("href").slice("./owners.html#".length))),
  );
  if (units.length === 0) fail(name, "the index lists no responsible unit");
  // Units in pinyin order: their first characters as chromium's Chinese
  // collation orders them (beyond the first character ICU's tailoring and
  // the pinyin crate may differ on a reading, as on 沈阳 and 沈抚).
  const collator = new Intl.Collator("zh-CN");
  const first = units.map((u) => Array.from(u.replace(/^unit-/, ""))[0]);
  const at = first.findIndex((c, i) => i > 0 && collator.compare(first[i - 1], c) > 0);
  if (at > 0) fail(name, `units not in pinyin order: ${units[at - 1]} before ${units[at]}`);
  else notes.push(`${name}: ${units.length} units in pinyin order`);
  const { page: owners } = await openPage(wide, "owners.html");
  const missing = await owners.evaluate((ids) => ids.filter((id) => !document.getElementById(id)), units);
  if (missing.length) fail(name, `links to owners.html name no section: ${missing.slice(0, 3).join(", ")}`);
  await owners.close();
}

// The site's own pages, which have no table of contents; so are the
// history pages of policies in versions.
const names = readdirSync(site).filter((f) => f.endsWith(".html")).sort();
const sitePages = new Set(["index.html", "owners.html", ...names.filter((n) => n.endsWith("@history.html"))]);
if (!names.includes("index.html")) fail(site, "no index.html");
const wide = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
const narrow = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
const noScript = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });

for (const name of names) {
  try {
    await checkPage(name);
  } catch (err) {
    fail(name, `a check could not run: ${String(err.message).split("\n")[0]}`);
  }
}

async function checkPage(name) {
  const slug = name.replace(/\.html$/, "");
  const screenshot = shotSlugs.includes(slug);
  const { page, problems } = await openPage(wide, name);
  const lang = await page.getAttribute("html", "lang");
  if (lang !== "zh-CN") fail(name, `lang is ${lang}`);
  // One h1 for the document (attachments after it may have their own).
  if ((await page.locator("main h1").count()) < 1) fail(name, "no h1 in main");
  if (screenshot) await page.screenshot({ path: join(shots, `${slug}-screen.png`) });
  await checkFonts(page, wide, name);
  await checkContrast(page, name);
  const tocLinks = await checkToc(page, name);
  await checkRunIn(page, name);
  if (name === "index.html") await checkIndex(page, name);
  const printed = await checkPrint(page, name, screenshot);
  const [links, clicked] = await checkLinks(page, name);
  notes.push(`${name}: ${tocLinks} TOC links, ${printed} A4 page(s), ${links} links, ${clicked} clicked`);
  problems.filter((p) => !downloaded.has(p.replace(/^request failed: /, ""))).forEach((p) => fail(name, p));
  await page.close();

  // Narrow screens: the table of contents starts folded.
  const small = await openPage(narrow, name);
  if (!sitePages.has(name)) {
    const open = await small.page.evaluate(() => document.getElementById("toc")?.open);
    if (open !== false) fail(name, "the table of contents is not folded on a narrow screen");
  }
  if (name === "index.html") {
    // On a phone the rows are cards: no cell narrower than two characters.
    const narrowCells = await small.page.evaluate(() =>
      Array.from(document.querySelectorAll("#policies td"))
        .filter((td) => td.checkVisibility())
        .filter((td) => td.getBoundingClientRect().width < 2 * parseFloat(getComputedStyle(td).fontSize))
        .map((td) => td.textContent.trim().slice(0, 10)),
    );
    // Nor a status badge or a date broken over lines.
    const broken = await small.page.evaluate(() =>
      Array.from(document.querySelectorAll("#policies :is(.badge, time)"))
        .filter((el) => el.getClientRects().length > 1)
        .map((el) => el.textContent.trim()),
    );
    if (narrowCells.length) fail(`${name} (narrow)`, `cells narrower than two characters: ${narrowCells.slice(0, 3).join(", ")}`);
    else if (broken.length) fail(`${name} (narrow)`, `broken over lines: ${broken.slice(0, 3).join(", ")}`);
    else notes.push(`${name} (narrow): every cell at least two characters wide, no status or date broken`);
  }
  // The site's bar wraps between its links, never inside one.
  const brokenLinks = await small.page.evaluate(() =>
    Array.from(document.querySelectorAll(".site-header nav a"))
      // A flex item broken over lines is one box two lines high.
      .filter((a) => a.getClientRects().length > 1 || a.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(a).lineHeight))
      .map((a) => a.textContent.trim()),
  );
  if (brokenLinks.length) fail(`${name} (narrow)`, `navigation links broken over lines: ${brokenLinks.join(", ")}`);
  if (screenshot) await small.page.screenshot({ path: join(shots, `${slug}-narrow.png`) });
  small.problems.forEach((p) => fail(`${name} (narrow)`, p));
  await small.page.close();

  // Without JavaScript the text and the table of contents are all there.
  const plain = await openPage(noScript, name);
  const state = await plain.page.evaluate(() => ({
    text: document.querySelector("main").innerText.length,
    toc: document.querySelectorAll(".toc a").length,
    open: document.getElementById("toc")?.open,
  }));
  if (state.text < 20) fail(`${name} (no script)`, "the page shows no text");
  if (!sitePages.has(name) && (state.toc === 0 || state.open !== true)) {
    fail(`${name} (no script)`, "the table of contents is missing or folded");
  }
  plain.problems.forEach((p) => fail(`${name} (no script)`, p));
  await plain.page.close();
}
// Policies in versions: a clause link of the oldest version followed into
// the latest lands on the same clause though its number changed, and the
// link of a removed clause lands on its entry in the history.
async function ownTexts(page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll("section.node"), (s) => {
      const own = Array.from(s.children)
        .filter((c) => c.tagName !== "SECTION")
        .map((c) => {
          const k = c.cloneNode(true);
          k.querySelectorAll(".marker, .permalink").forEach((e) => e.remove());
          return k.textContent;
        })
        .join("")
        .trim();
      return { id: s.id, marker: s.querySelector(".marker")?.textContent || "", own };
    }),
  );
}

async function checkVersions(slug) {
  const name = `${slug}@history.html`;
  const { page: history } = await openPage(wide, name);
  const dates = await history.$$eval("table.versions tbody tr", (trs) => trs.map((tr) => tr.id.replace(/^version-/, "")));
  const removed = await history.$$eval("#removed li[id^='removed-']", (lis) => lis.map((li) => li.id.slice(8)));
  await history.close();
  if (dates.length < 2) return fail(name, "the history lists fewer than two versions");
  const { page: oldest } = await openPage(wide, `${slug}@${dates[0]}.html`);
  const before = await ownTexts(oldest);
  await oldest.close();
  const { page: latest } = await openPage(wide, `${slug}.html`);
  const after = new Map((await ownTexts(latest)).map((c) => [c.id, c]));
  await latest.close();
  const renumbered = before.filter((c) => after.has(c.id) && after.get(c.id).marker !== c.marker && after.get(c.id).own === c.own);
  if (renumbered.length === 0) return fail(name, "no clause of the oldest version is found renumbered in the latest under its id");
  const clause = renumbered[renumbered.length - 1];
  // From the oldest version's page to the latest's, as a reader follows a link.
  const { page } = await openPage(wide, `${slug}@${dates[0]}.html`);
  const latestUrl = pathToFileURL(join(site, `${slug}.html`)).href;
  await page.goto(`${latestUrl}#${clause.id}`, { waitUntil: "load" });
  const landed = await page.evaluate((id) => {
    const el = document.getElementById(id);
    if (!el) return null;
    const box = el.getBoundingClientRect();
    return { marker: el.querySelector(".marker")?.textContent, inView: box.top < window.innerHeight && box.bottom > 0 };
  }, clause.id);
  if (!landed || !landed.inView) fail(name, `#${clause.id} of ${dates[0]} does not land in view on the latest page`);
  else notes.push(`versions ${slug}: #${clause.id} ${clause.marker} of ${dates[0]} lands on ${landed.marker} of the latest; ${renumbered.length} renumbered clauses keep their ids`);
  if (removed.length) {
    const id = removed[0];
    const arrived = page.waitForURL((url) => url.pathname.endsWith("%40history.html") && url.hash === `#removed-${id}`);
    await page.goto(pathToFileURL(join(site, `${slug}@${dates[0]}.html`)).href, { waitUntil: "load" });
    await page.goto(`${latestUrl}#${id}`, { waitUntil: "load" });
    const how = await arrived.then(() => "ok").catch((e) => String(e.message).split("\n")[0]);
    if (how !== "ok") fail(name, `the removed clause's link #${id} did not land on its history entry: ${how} at ${page.url()}`);
    else notes.push(`versions ${slug}: the removed #${id} lands on its history entry`);
  }
  await page.close();
}

// Search: a query in Chinese taken from a clause finds it, and its result
// leads to the clause with the query marked.
async function checkSearch(slug) {
  const { page: policy } = await openPage(wide, `${slug}.html`);
  const clause = (await ownTexts(policy)).find((c) => c.own.length > 20);
  await policy.close();
  const query = clause.own.slice(4, 12);
  const { page, problems } = await openPage(wide, "index.html");
  await page.fill("#q", query);
  await page.press("#q", "Enter");
  await page.waitForSelector("#results li");
  const results = await page.$$eval("#results li", (lis) =>
    lis.map((li) => ({ href: li.querySelector("a").getAttribute("href"), mark: li.querySelector("mark")?.textContent })),
  );
  const hit = results.find((r) => r.href.endsWith(`#${encodeURIComponent(clause.id)}`));
  if (!hit) return fail("index.html", `searching “${query}” does not find #${clause.id}: ${JSON.stringify(results.slice(0, 3))}`);
  if (hit.mark !== query) fail("index.html", `the result of “${query}” marks “${hit.mark}”`);
  await page.goto(new URL(hit.href, page.url()).href, { waitUntil: "load" });
  const marked = await page.evaluate((id) => document.getElementById(id)?.querySelector("mark")?.textContent, clause.id);
  if (marked !== query) fail(`${slug}.html`, `arriving from the search, “${query}” is not marked in #${clause.id} (${marked})`);
  else notes.push(`search: “${query}” finds #${clause.id} of ${slug}.html and marks it there (${results.length} results)`);
  problems.forEach((p) => fail("index.html (search)", p));
  await page.close();
}

for (const name of names.filter((n) => n.endsWith("@history.html"))) {
  const slug = name.replace(/@history\.html$/, "");
  try {
    await checkVersions(slug);
    await checkSearch(slug);
  } catch (err) {
    fail(name, `a check could not run: ${String(err.message).split("\n")[0]}`);
  }
}
await browser.close();

if (runInChecked.length) notes.push(`run-in titles on their text's line: ${runInChecked.join("; ")}`);
for (const note of notes) console.log(`ok   ${note}`);
for (const failure of failures) console.log(`FAIL ${failure}`);
console.log(`${names.length} pages checked, ${failures.length} failures; screenshots in ${shots}`);
process.exit(failures.length ? 1 : 0);
