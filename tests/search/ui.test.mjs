// The search UI in a real browser (Debian's chromium via playwright-core) on
// the sample site: from file:// and over http under a subpath, typing,
// keyboard navigation, facets, URL state, Escape, no-JS, and which index
// files a query fetches.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { checkLinks, launch, serve } from "../js/browser.mjs";
import { TOP } from "./lib.mjs";

const AKB = process.env.AKB_BIN || path.join(TOP, "build/agentkb");
const THEME = path.join(TOP, "themes/default");
let tmp, site, browser, server;

// The theme as shipped must include the partial, its CSS and its script.
function wired(dir) {
  const base = fs.readFileSync(path.join(dir, "templates/base.mustache"), "utf8");
  return base.includes("{{>search}}") && base.includes("assets/search.css");
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "akb-search-ui-"));
  site = path.join(tmp, "site");
  let theme = THEME;
  if (!wired(THEME)) {
    // Until base.mustache includes the search partial: a copy of the theme that does.
    theme = path.join(tmp, "theme");
    fs.cpSync(THEME, theme, { recursive: true });
    const file = path.join(theme, "templates/base.mustache");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8")
      .replace('<link rel="stylesheet" href="{{root}}assets/style.css">',
        '<link rel="stylesheet" href="{{root}}assets/style.css">\n<link rel="stylesheet" href="{{root}}assets/search.css">')
      .replace("    </nav>\n  </div>\n</header>", "    </nav>\n    {{>search}}\n  </div>\n</header>"));
    assert.ok(wired(theme));
  }
  execFileSync(AKB, ["build", "content", "-o", site, "-q", "--theme", theme], { cwd: TOP });
  browser = await launch();
  server = await serve(site, "/docs/agents/");
});

after(async () => {
  await browser?.close();
  server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test("the default theme includes the search partial, search.css and search.js", () => {
  assert.ok(wired(THEME), "themes/default/templates/base.mustache: add {{>search}} in the header and link assets/search.css");
});

test("the site has no broken links", () => checkLinks(AKB, site));

const fileURL = (p) => pathToFileURL(path.join(site, p)).href;
const names = (page) => page.locator(".akb-result .akb-result-name").allInnerTexts();

async function type(page, text) {
  await page.locator("#akb-search-input").fill("");
  await page.locator("#akb-search-input").pressSequentially(text, { delay: 5 });
}
async function settled(page, re) {
  await page.waitForFunction((src) => new RegExp(src).test(document.querySelector(".akb-search-count")?.textContent || ""),
    re.source);
}

test("no JavaScript: the search form stays hidden and pages work", async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(fileURL("index.html"));
  assert.equal(await page.locator(".akb-search").isVisible(), false);
  assert.ok(await page.locator(".card").first().isVisible());
  await ctx.close();
});

for (const where of ["file", "http"]) {
  test(`type, see marked results, follow one (${where})`, async () => {
    const page = await browser.newPage();
    const at = (p) => (where === "file" ? fileURL(p) : server.url + p);
    await page.goto(at("agents/rails-maintainer/index.html"));
    assert.ok(await page.locator(".akb-search").isVisible());
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement.id), "akb-search-input");
    await type(page, "kubernetes");
    await settled(page, /^1 agent for/);
    assert.deepEqual(await names(page), ["server-hardening-specialist"]);
    assert.ok(await page.locator(".akb-result mark").count() > 0);
    assert.match(await page.locator(".akb-result mark").first().innerText(), /kubernetes/i);
    // The page's own content makes room for the results.
    assert.equal(await page.locator(".agent").isVisible(), false);
    await page.waitForFunction(() => /1 agent/.test(document.querySelector(".akb-search [role=status]").textContent));
    // Chinese: bigrams; and the built-in synonyms (cache, caching).
    await type(page, "缓存");
    await settled(page, /^6 agents for “缓存”/);
    assert.equal(await page.locator(".akb-result mark", { hasText: "缓存" }).count() > 0, true);
    await page.waitForURL(/\?q=%E7%BC%93%E5%AD%98$/);
    // Enter opens the first result, relative to this page.
    const first = (await names(page))[0];
    await page.locator("#akb-search-input").press("Enter");
    await page.waitForURL(/agents\/[^/]+\/index\.html$/);
    assert.equal(await page.locator("h1").first().innerText(), first);
    await page.close();
  });
}

for (const where of ["file", "http"]) {
  test(`prefix and typo queries, and a filter with a query (${where})`, async () => {
    const page = await browser.newPage();
    await page.goto(where === "file" ? fileURL("index.html") : server.url + "index.html");
    // The word being typed matches as a prefix.
    await type(page, "kubern");
    await settled(page, /for “kubern”/);
    assert.deepEqual(await names(page), ["server-hardening-specialist"]);
    // One typo in a long word is forgiven.
    await type(page, "kubernets ");
    await settled(page, /for “kubernets/);
    assert.deepEqual(await names(page), ["server-hardening-specialist"]);
    // A filter combined with a query narrows it.
    await type(page, "缓存");
    await settled(page, /^6 agents for “缓存”/);
    await page.locator('.akb-facet input[data-facet="department"][value="data"]').check();
    await settled(page, /^3 agents for “缓存”/);
    for (const meta of await page.locator(".akb-result-meta").allInnerTexts()) assert.match(meta, /^data/);
    await page.close();
  });
}

// search-engine.js and search.js both load async: whichever runs second starts the search.
for (const late of ["search-engine.js", "search.js"]) {
  test(`either script may run first: ${late} held back, a ?q= link and typing still work`, async () => {
    const page = await browser.newPage();
    let release;
    const held = new Promise((ok) => { release = ok; });
    await page.route("**/assets/" + late, async (route) => { await held; await route.continue(); });
    const ran = [];
    await page.exposeFunction("__ran", (what) => ran.push(what));
    await page.addInitScript(() => {
      for (const k of ["AgentkbSearch", "__akbSearchOnEngine"]) {
        let v;
        Object.defineProperty(window, k, { configurable: true, get: () => v, set: (x) => { v = x; if (x) window.__ran(k); } });
      }
    });
    await page.goto(server.url + "index.html?q=kubernetes", { waitUntil: "domcontentloaded" });
    await page.waitForTimeout(300);
    assert.equal(await page.locator(".akb-result").count(), 0, "nothing before " + late + " runs");
    release();
    await settled(page, /^1 agent for “kubernetes”/);
    assert.deepEqual(ran, late === "search.js" ? ["AgentkbSearch"] : ["__akbSearchOnEngine", "AgentkbSearch"]);
    await type(page, "缓存");
    await settled(page, /^6 agents for “缓存”/);
    await page.close();
  });
}

test("keyboard: arrows move the selection, Enter opens it, Escape clears", async () => {
  const page = await browser.newPage();
  await page.goto(server.url + "index.html");
  await page.locator("#akb-search-input").focus();
  await type(page, "metric");
  await settled(page, /^4 agents/);
  const input = page.locator("#akb-search-input");
  await input.press("ArrowDown");
  await input.press("ArrowDown");
  const selected = page.locator('.akb-result[aria-selected="true"]');
  assert.equal(await selected.count(), 1);
  assert.equal(await input.getAttribute("aria-activedescendant"), await selected.getAttribute("id"));
  assert.equal(await selected.getAttribute("id"), "akb-result-1");
  await input.press("ArrowUp");
  await input.press("ArrowUp");
  assert.equal(await page.locator('.akb-result[aria-selected="true"]').getAttribute("id"), "akb-result-3", "wraps");
  await input.press("ArrowDown");
  await input.press("ArrowDown");
  const href = await page.locator("#akb-result-1 a").getAttribute("href");
  // Escape clears and gives the page back.
  await input.press("Escape");
  assert.equal(await input.inputValue(), "");
  assert.equal(await page.locator(".akb-search-panel").isVisible(), false);
  assert.ok(await page.locator(".card").first().isVisible());
  await page.waitForURL((u) => u.search === "");
  // Enter opens the selected one.
  await type(page, "metric");
  await settled(page, /^4 agents/);
  await input.press("ArrowDown");
  await input.press("ArrowDown");
  await input.press("Enter");
  await page.waitForURL(/agents\//);
  assert.equal(new URL(page.url()).pathname, "/docs/agents/" + href);
  // Back: the search again.
  await page.goBack();
  await settled(page, /^4 agents for “metric”/);
  assert.equal(await page.locator("#akb-search-input").inputValue(), "metric");
  await page.close();
});

test("input methods: no search while composing; Enter right after typing opens the first result", async () => {
  const page = await browser.newPage();
  await page.goto(fileURL("index.html"));
  const input = page.locator("#akb-search-input");
  await input.focus();
  await page.evaluate(() => {
    const i = document.getElementById("akb-search-input");
    i.dispatchEvent(new CompositionEvent("compositionstart", { data: "" }));
    i.value = "huan'cun";
    i.dispatchEvent(new InputEvent("input", { isComposing: true, data: "huan'cun" }));
  });
  await page.waitForTimeout(200);
  assert.equal(await page.locator(".akb-search-panel").isVisible(), false);
  // Enter confirms the composition: not a navigation.
  await page.evaluate(() => {
    const i = document.getElementById("akb-search-input");
    i.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", isComposing: true, bubbles: true }));
    i.value = "缓存";
    i.dispatchEvent(new InputEvent("input", { isComposing: true, data: "缓存" }));
    i.dispatchEvent(new CompositionEvent("compositionend", { data: "缓存" }));
  });
  await settled(page, /for “缓存”/);
  await page.waitForURL(/index\.html\?q=/);
  // Enter before the results are in still opens the first one.
  await input.fill("");
  await input.pressSequentially("kubernetes", { delay: 0 });
  await input.press("Enter");
  await page.waitForURL(/server-hardening-specialist\/index\.html$/);
  await page.close();
});

test("facets: counts, OR within, AND across, empty query lists agents; state in the URL", async () => {
  const page = await browser.newPage();
  await page.goto(fileURL("index.html"));
  await page.locator(".akb-search-filters").click();
  await settled(page, /^20 agents$/);
  // Pages of 10, then more.
  assert.equal(await page.locator(".akb-result").count(), 10);
  await page.locator(".akb-more").click();
  await page.waitForFunction(() => document.querySelectorAll(".akb-result").length === 20);
  assert.equal(await page.locator(".akb-more").isVisible(), false);
  const box = (key, value) => page.locator(`.akb-facet input[data-facet="${key}"][value="${value}"]`);
  const countOf = (key, value) =>
    page.locator(`.akb-facet label:has(input[data-facet="${key}"][value="${value}"]) .count`).innerText();
  assert.equal(await countOf("department", "data"), "5");
  await box("department", "data").check();
  await settled(page, /^5 agents$/);
  assert.equal(await page.locator(".akb-result").count(), 5);
  for (const meta of await page.locator(".akb-result-meta").allInnerTexts()) assert.match(meta, /^data/);
  // Own facet keeps its counts; OR within.
  assert.equal(await countOf("department", "operations"), "5");
  await box("department", "operations").check();
  await settled(page, /^10 agents$/);
  // AND across facets: the model counts follow.
  const haiku = Number(await countOf("model", "haiku"));
  await box("model", "haiku").check();
  await settled(page, new RegExp(`^${haiku} agents?$`));
  await page.waitForURL(/model=haiku/);
  const url = new URL(page.url());
  assert.deepEqual(url.searchParams.getAll("department"), ["data", "operations"]);
  assert.deepEqual(url.searchParams.getAll("model"), ["haiku"]);
  // With a text query: counts over its results.
  await type(page, "缓存");
  await settled(page, /for “缓存”/);
  // The URL survives a reload.
  await page.waitForURL(/q=%E7%BC%93%E5%AD%98/);
  const shared = page.url();
  await page.reload();
  await settled(page, /for “缓存”/);
  assert.equal(page.url(), shared);
  assert.equal(await page.locator("#akb-search-input").inputValue(), "缓存");
  assert.ok(await box("department", "data").isChecked());
  assert.ok(await box("model", "haiku").isChecked());
  // Escape from the filters clears everything too.
  await box("model", "haiku").focus();
  await page.keyboard.press("Escape");
  assert.equal(await page.locator(".akb-search-panel").isVisible(), false);
  assert.equal(await page.evaluate(() => document.activeElement.id), "akb-search-input");
  await page.waitForURL((u) => u.search === "");
  await page.close();
});

test("a shared link opens with its results; a query fetches only what it needs", async () => {
  const page = await browser.newPage();
  const fetched = [];
  page.on("request", (r) => { const m = r.url().match(/\/search\/([a-z]+\d*)\.js$/); if (m) fetched.push(m[1]); });
  await page.goto(server.url + "departments/data/index.html?q=metric&department=data");
  await settled(page, /for “metric”/);
  assert.ok((await names(page)).includes("metrics-analyst"));
  assert.equal(fetched[0], "base");
  assert.ok(fetched.filter((n) => n[0] === "t").length <= 2, fetched.join(" "));
  const all = fs.readdirSync(path.join(site, "search")).length;
  assert.ok(fetched.length < all, `${fetched.length} of ${all}`);
  // Result links are relative to this page.
  const href = await page.locator(".akb-result a").first().getAttribute("href");
  assert.match(href, /^\.\.\/\.\.\/agents\//);
  // Nothing loads twice.
  const before = fetched.length;
  await type(page, "metrics");
  await type(page, "metric");
  await settled(page, /for “metric”/);
  assert.equal(new Set(fetched).size, fetched.length);
  assert.ok(fetched.length >= before);
  await page.close();
});

test("a ?q= link shows its first result; as-you-type queries all answer", async () => {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    new MutationObserver(() => {
      if (!window.__first && document.querySelector(".akb-result")) window.__first = performance.now();
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(server.url + "index.html?q=kubernetes");
  await page.waitForFunction(() => window.__first);
  const first = await page.evaluate(() => window.__first);
  assert.ok(first > 0); // timing targets live in make bench (scripts/bench-search*.mjs), not in tests
  const times = await page.evaluate(async () => {
    const pending = {};
    window.__akbSearchLoad = (k, i, data) => pending[k + i](data);
    const e = AgentkbSearch.createEngine({ load: (k, i) => new Promise((ok) => {
      pending[k + i] = ok;
      const s = document.createElement("script");
      s.src = "search/" + (k === "t" || k === "d" ? k + i : k) + ".js";
      document.head.appendChild(s);
    }) });
    const out = [];
    for (const q of ["k", "ku", "kub", "kube", "缓", "缓存", "m", "me", "met", "metr", "metric", "metrics"]) await e.search(q);
    for (const q of ["k", "ku", "kub", "kube", "缓", "缓存", "m", "me", "met", "metr", "metric", "metrics"]) {
      const t0 = performance.now();
      await e.search(q + " ");
      await e.search(q);
      out.push(performance.now() - t0);
    }
    return out;
  });
  assert.equal(times.length, 12);
  await page.close();
});

test("a ?q= link: results first, facet counts right after; base.js comes once, from the page's <head>", async () => {
  const page = await browser.newPage();
  const fetched = [];
  page.on("request", (r) => { const m = r.url().match(/\/search\/([a-z]+\d*)\.js$/); if (m) fetched.push(m[1]); });
  await page.goto(server.url + "agents/rails-maintainer/index.html?q=metric");
  await settled(page, /^4 agents for “metric”/);
  // The counts are those of the results: every agent has one department.
  await page.waitForFunction(() => document.querySelectorAll(".akb-facet").length > 0);
  const dept = await page.locator('.akb-facet:has(input[data-facet="department"]) li:not([hidden]) .count').allInnerTexts();
  assert.equal(dept.map(Number).reduce((a, b) => a + b, 0), 4);
  assert.equal(fetched.filter((n) => n === "base").length, 1, fetched.join(" "));
  assert.equal(fetched.filter((n) => n === "facets").length, 1, fetched.join(" "));
  assert.ok(await page.evaluate(() => window.__akbSearchBase && window.__akbSearchBase.v === 3));
  // Pages without a query have base.js too (the <head> loads it): typing needs only term shards.
  const plain = await browser.newPage();
  const later = [];
  plain.on("request", (r) => { const m = r.url().match(/\/search\/([a-z]+\d*)\.js$/); if (m) later.push(m[1]); });
  await plain.goto(server.url + "index.html");
  await plain.waitForFunction(() => window.__akbSearchBase);
  assert.deepEqual(later, ["base"]);
  await type(plain, "kubernetes");
  await settled(plain, /^1 agent for/);
  assert.ok(later.slice(1).every((n) => n !== "base"), later.join(" "));
  await plain.close();
  await page.close();
});

test("a ?q= link gives the page's content way at once; the results follow", async () => {
  const page = await browser.newPage();
  let release;
  const gate = new Promise((ok) => { release = ok; });
  // Term shards held back: the page shows that it is searching, not the agent it is on.
  await page.route(/\/search\/t[0-9a-f]{8}(-\d+)?\.js$/, async (route) => { await gate; await route.continue(); });
  await page.goto(server.url + "agents/rails-maintainer/index.html?q=kubernetes", { waitUntil: "domcontentloaded" });
  await settled(page, /^Searching…$/);
  assert.equal(await page.locator(".agent").isVisible(), false);
  assert.equal(await page.locator(".akb-search-panel").isVisible(), true);
  release();
  await settled(page, /^1 agent for “kubernetes”/);
  assert.deepEqual(await names(page), ["server-hardening-specialist"]);
  // Clearing gives the page back.
  await page.locator("#akb-search-input").press("Escape");
  assert.equal(await page.locator(".agent").isVisible(), true);
  await page.close();
});
