// The XSS suite (README "Escaping and Content-Security-Policy"), in real Chromium. The payloads of
// tests/fixtures/xss/payloads.mjs are written by tests/js/xss-fixture.mjs into every front-matter
// field and key, the body (headings, so ids and the table of contents, paragraphs, link and image
// URLs, reference links, autolinks, fence info strings, code, raw HTML), file and folder names, the
// site's title and description, and by tests/fixtures/xss/hook.lua into added fields and pages.
//  - the site is built and opened page by page over http (every page) and from file:// (a sample);
//    the single file is opened at every route; the table of contents is followed, the copy buttons
//    clicked; every payload is searched for by a word beside it and by its own text, typed and in
//    ?q=: no payload may run (window.__xss, alert), and no page may hold an element or attribute
//    that could run one (on* attributes, javascript:/vbscript:/data: URLs, frames, <base>, refresh);
//  - every payload is still shown as text on its agent page and in its search result;
//  - agentkb check --links passes on the hostile names;
//  - with `csp: true` every page carries the Content-Security-Policy meta, the site works under it
//    (search, the colour toggle, the contents, no violation reported), and it stops an inline script.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { checkLinks, launch, serve } from "../js/browser.mjs";
import { writeFixture } from "../js/xss-fixture.mjs";

const TOP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const AKB = path.resolve(process.env.AKB_BIN || path.join(TOP, "build/agentkb"));
const HOOK = path.join(TOP, "tests/fixtures/xss/hook.lua");
const norm = (s) => s.replace(/\s+/g, " ").trim();

let tmp, site, bundle, agents, browser, server, byPayload;
const fired = [];

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "akb-xss-"));
  agents = writeFixture(tmp);
  site = path.join(tmp, "public");
  bundle = path.join(tmp, "xss.html");
  const args = ["-c", path.join(tmp, "agentkb.yaml"), "--hook", HOOK, "-q"];
  execFileSync(AKB, ["build", path.join(tmp, "content"), "-o", site, ...args], { stdio: ["ignore", "ignore", "pipe"] });
  execFileSync(AKB, ["bundle", path.join(tmp, "content"), "-o", bundle, ...args], { stdio: ["ignore", "ignore", "pipe"] });
  // Each payload's agent (with front-matter), by the xss_id field.
  const json = JSON.parse(fs.readFileSync(path.join(site, "agents.json"), "utf8"));
  byPayload = new Map(json.filter((x) => x.fields.xss_id).map((x) => [Number(x.fields.xss_id), x]));
  browser = await launch();
  server = await serve(site, "/x s/");
});

after(async () => {
  await browser?.close();
  server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

// A context where a payload that runs is recorded, whatever page or frame it runs in.
async function guarded(options = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  await ctx.exposeBinding("__xssReport", (src, id) => { fired.push(`${id} on ${src.page?.url()}`); });
  await ctx.addInitScript(() => {
    window.__xss = (id) => window.__xssReport(String(id));
    document.addEventListener("akb:page", () => { window.__akbShown = (window.__akbShown || 0) + 1; });
  });
  const errors = [];
  return { ctx, page: await newGuardedPage(ctx, errors), errors };
}
async function newGuardedPage(ctx, errors) {
  const page = await ctx.newPage();
  page.on("dialog", (d) => { fired.push(`dialog ${d.message()} on ${page.url()}`); d.dismiss().catch(() => {}); });
  page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
  return page;
}

// What in the page (or under `root`, and in <head>) could run a payload: handler attributes,
// script URLs, frames, <base>, refresh. Returns one line per finding.
function scan(root) {
  const out = [], bad = /^(javascript|vbscript|data):/;
  const say = (el, what) => out.push(`${what} in <${el.tagName.toLowerCase()}> ${el.outerHTML.slice(0, 120)}`);
  const els = root ? [...document.head.querySelectorAll("*"), ...document.querySelectorAll(`${root}, ${root} *`)] :
    document.querySelectorAll("*");
  for (const el of els) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith("on")) say(el, `handler ${name}`);
      if (["href", "src", "action", "formaction", "data", "poster", "xlink:href", "background"].includes(name)) {
        let proto = "";
        try { proto = new URL(a.value, document.baseURI).protocol; } catch (e) { proto = ""; }
        const raw = a.value.replace(/[\s\u0000-\u001f\u200b-\u200f\u2028\u2029\ufeff]/g, "").toLowerCase();
        const icon = el.tagName === "LINK" && el.rel === "icon" && raw.startsWith("data:image/");
        if ((bad.test(proto) || bad.test(raw)) && !icon) say(el, `${name}=${a.value.slice(0, 40)}`);
      }
      if (name === "srcdoc") say(el, "srcdoc");
      if (name === "style" && /url\(|expression|javascript|__xss/i.test(a.value)) say(el, `style ${a.value}`);
    }
    const tag = el.tagName.toLowerCase();
    if (["iframe", "frame", "object", "embed", "base", "applet"].includes(tag)) say(el, "element");
    if (tag === "meta" && el.httpEquiv && el.httpEquiv.toLowerCase() !== "content-security-policy") say(el, "http-equiv");
    // A payload in a script or style element: but for the search index files, which the single
    // file inserts as scripts' text (never parsed as HTML): JSON strings in a function call.
    if ((tag === "script" || tag === "style") && el.textContent.includes("__xss") &&
      !/^(__akbSearchLoad\(|\(typeof __akbSearchLoad)/.test(el.textContent)) say(el, "payload inside");
  }
  return out;
}

// Lets handlers that wait for a frame or a focus run.
const settle = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(ok, 0)))));

async function checkPage(page, where, problems, root) {
  await settle(page);
  for (const f of await page.evaluate(scan, root || null)) problems.push(`${where}: ${f}`);
}

// Runs `work(page, item)` over `items` on `n` pages of one guarded context.
async function pool(items, n, work, options) {
  const { ctx, errors } = await guarded(options);
  const pages = [await ctx.pages()[0]];
  while (pages.length < n) pages.push(await newGuardedPage(ctx, errors));
  let next = 0;
  await Promise.all(pages.map(async (page) => { while (next < items.length) await work(page, items[next++]); }));
  await ctx.close();
  return errors;
}

function sitePages() {
  const out = [];
  (function walk(dir, rel) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name), rel + e.name + "/");
      else if (e.name.endsWith(".html")) out.push(rel + e.name);
    }
  })(site, "");
  return out.sort();
}
const httpURL = (rel) => server.url + rel.split("/").map(encodeURIComponent).join("/");

test("the fixture puts at least 60 payloads into every place", () => {
  assert.ok(agents.length >= 60, `${agents.length} payloads`);
  assert.equal(new Set(agents.map((a) => a.text)).size, agents.length, "distinct payloads");
  const all = sitePages();
  assert.ok(all.length > agents.length * 4, `${all.length} pages`);
  assert.ok(all.includes("hooked/data.html"), "the hook's template page");
  assert.ok(all.includes("graph/index.html"), "the graph");
  for (const a of agents) {
    const entry = byPayload.get(a.id);
    assert.ok(entry, `agent of payload ${a.id}`);
    assert.equal(norm(entry.name), norm(a.text), `name of payload ${a.id}`);
    assert.equal(entry.fields.hook_field, a.text, `hook field of payload ${a.id}`);
    assert.ok(all.includes(`hooked/md${a.id}/index.html`), `hook page of payload ${a.id}`);
  }
});

test("agentkb check --links passes on the hostile names", () => {
  const dir = path.join(tmp, "no-links");
  writeFixture(dir, { links: false });
  execFileSync(AKB, ["build", path.join(dir, "content"), "-o", path.join(dir, "public"), "-c", path.join(dir, "agentkb.yaml"),
    "--hook", HOOK, "-q"], { stdio: ["ignore", "ignore", "pipe"] });
  checkLinks(AKB, path.join(dir, "public"));
});

test("every page over http: no payload runs, nothing could run one, agent pages show every payload", async () => {
  const problems = [], missing = [];
  const agentPages = new Map(agents.map((a) => [byPayload.get(a.id).url, a]));
  let clipboard = Promise.resolve();
  const errors = await pool(sitePages(), 3, async (page, rel) => {
    await page.goto(httpURL(rel), { waitUntil: "load" });
    await checkPage(page, rel, problems);
    // The hook's pages: a page per payload, and one with all of them in its template's data.
    const main = () => page.evaluate(() => document.querySelector("main").innerText.replace(/\s+/g, " "));
    const hooked = /^hooked\/md(\d+)\//.exec(rel);
    if (hooked && !(await main()).includes(norm(agents[hooked[1] - 1].text))) missing.push(`${hooked[1]} ${rel}`);
    if (rel === "hooked/data.html") {
      const text = await main();
      for (const x of agents) if (!text.includes(norm(x.text))) missing.push(`${x.id} ${rel}`);
    }
    // The graph: every payload's agent a node, every folder in its filter, which works.
    if (rel === "graph/index.html") {
      const text = await page.evaluate(() => document.querySelector("main").textContent.replace(/\s+/g, " "));
      for (const x of agents) if (!text.includes(norm(x.text))) missing.push(`${x.id} ${rel}`);
      await page.locator(".graph-filter input").first().click();
      await checkPage(page, `${rel} filtered`, problems);
    }
    const a = agentPages.get(rel);
    if (!a) return;
    const want = norm(a.text);
    const shown = await page.evaluate(() => {
      const t = (x) => x.textContent.replace(/\s+/g, " ").trim();
      return {
        main: document.querySelector("main").innerText.replace(/\s+/g, " "),
        h1: document.querySelector("main h1").innerText.replace(/\s+/g, " ").trim(),
        toc: [...document.querySelectorAll(".toc a")].map(t),
        // A heading's text as the contents give it: an image by its alt text.
        headings: [...document.querySelectorAll(".prose :is(h2,h3)")].map((h) => {
          const c = h.cloneNode(true);
          c.querySelectorAll("img").forEach((i) => i.replaceWith(i.alt));
          c.querySelector(".anchor")?.remove();
          return t(c);
        }),
        th: [...document.querySelectorAll(".metadata th")].map(t),
        td: [...document.querySelectorAll(".metadata td")].map(t),
      };
    });
    if (!shown.main.includes(want)) missing.push(`${a.id} main`);
    if (shown.h1 !== want) missing.push(`${a.id} h1 ${shown.h1}`);
    if (shown.toc.join(" | ") !== shown.headings.join(" | ") || shown.toc.length !== 2)
      missing.push(`${a.id} contents ${shown.toc.join(" | ")} != ${shown.headings.join(" | ")}`);
    if (!shown.th.includes(want)) missing.push(`${a.id} custom key`);
    for (const key of ["hook_field", "custom", "hook_nested", "tags", "emoji"])
      if (!shown.td[shown.th.indexOf(key)]?.includes(want)) missing.push(`${a.id} ${key}`);
    // Follow the contents; copy the code block.
    await page.locator(".toc a").nth(1).click();
    const id = decodeURIComponent(new URL(page.url()).hash.slice(1));
    if (!(await page.evaluate((x) => !!document.getElementById(x), id))) problems.push(`${a.id}: contents link #${id} has no target`);
    // One page at a time on the clipboard, which the pages share.
    const code = await (clipboard = clipboard.then(async () => {
      await page.locator("figure.code button.copy").first().click();
      return page.evaluate(() => navigator.clipboard.readText());
    }));
    if (!norm(code).includes(`code ${a.mark} ${norm(a.text)}`)) problems.push(`${a.id}: copied code ${code}`);
    await checkPage(page, `${rel} after clicks`, problems);
  }, { permissions: ["clipboard-read", "clipboard-write"] });
  assert.deepEqual(fired, [], "no payload ran");
  assert.deepEqual(problems, [], "nothing in the pages could run a payload");
  assert.deepEqual(missing, [], "every payload shown as text");
  assert.deepEqual(errors, [], "no script error");
});

const count = () => document.querySelector(".akb-search-count")?.textContent || "";
async function search(page, q) {
  await page.locator("#akb-search-input").fill(q);
  await page.waitForFunction(`(${count})().includes(${JSON.stringify(q.trim())})`);
}

test("search: every payload found by a word beside it and by its own text, shown as text", async () => {
  const problems = [], missing = [];
  const { ctx, page, errors } = await guarded();
  await page.goto(server.url + "index.html");
  for (const a of agents) {
    await search(page, a.mark);
    const rows = norm(await page.locator(".akb-results").innerText());
    if (!rows.includes(norm(a.text))) missing.push(`${a.id} by ${a.mark}`);
    await checkPage(page, `search ${a.mark}`, problems, "#akb-search-panel");
    await search(page, a.text);
    await checkPage(page, `search ${a.id}`, problems, "#akb-search-panel");
  }
  // Filters: the facets list the payloads as values.
  await search(page, "xsmark");
  await page.locator(".akb-search-filters").click();
  await page.waitForSelector(".akb-facet input", { state: "attached" });
  const facets = norm(await page.locator(".akb-facets").evaluate((x) => x.textContent));
  for (const a of agents) if (!facets.includes(norm(a.text))) missing.push(`${a.id} facet`);
  await checkPage(page, "facets", problems, "#akb-search-panel");
  // The query in the URL.
  for (const a of agents.filter((x) => x.id % 4 === 0)) {
    await page.goto(server.url + "index.html?q=" + encodeURIComponent(a.text));
    await page.waitForFunction(`(${count})().includes(${JSON.stringify(a.text.trim())})`);
    await checkPage(page, `?q= ${a.id}`, problems);
  }
  await ctx.close();
  assert.deepEqual(fired, [], "no payload ran");
  assert.deepEqual(missing, [], "every payload shown in results and facets");
  assert.deepEqual(problems, [], "nothing that could run a payload");
  assert.deepEqual(errors, [], "no script error");
});

test("file://: a sample of pages, with search", async () => {
  const problems = [];
  const { ctx, page, errors } = await guarded();
  for (const rel of sitePages().filter((p, i) => i % 20 === 0 || !p.includes("/"))) {
    await page.goto(pathToFileURL(path.join(site, rel)).href);
    await checkPage(page, `file ${rel}`, problems);
  }
  await page.goto(pathToFileURL(path.join(site, "index.html")).href);
  for (const a of agents.filter((x) => x.id % 5 === 0)) {
    await search(page, a.mark);
    await checkPage(page, `file search ${a.mark}`, problems, "#akb-search-panel");
  }
  await ctx.close();
  assert.deepEqual(fired, [], "no payload ran");
  assert.deepEqual(problems, [], "nothing that could run a payload");
  assert.deepEqual(errors, [], "no script error");
});

test("the single file: every route, searches, no payload runs", async () => {
  const problems = [], wrong = [];
  const title = (rel) => /<title>([^<]*)<\/title>/.exec(fs.readFileSync(path.join(site, rel), "utf8"))[1];
  const routes = sitePages().filter((r) => r !== "index.html" && r !== "404.html");
  const opened = new WeakSet();
  const errors = await pool(routes, 3, async (page, rel) => {
    if (!opened.has(page)) {
      opened.add(page);
      await page.goto(pathToFileURL(bundle).href);
      await page.waitForFunction(() => window.__akbShown >= 1);
      await checkPage(page, "bundle home", problems);
    }
    const route = rel.replace(/(^|\/)index\.html$/, "$1");
    const n = await page.evaluate(() => window.__akbShown);
    await page.evaluate((r) => { location.hash = "#/" + encodeURI(r).replace(/[#?]/g, encodeURIComponent); }, route);
    await page.waitForFunction((k) => window.__akbShown > k, n);
    const [got, want] = await page.evaluate((h) => {
      const t = document.createElement("textarea");
      t.innerHTML = h;
      return [document.title, t.value];
    }, title(rel));
    if (norm(got) !== norm(want)) wrong.push(`${route}: ${got} != ${want}`);
    await checkPage(page, `bundle #/${route}`, problems, "main");
  });
  const { ctx, page, errors: more } = await guarded();
  await page.goto(pathToFileURL(bundle).href);
  for (const a of agents.filter((x) => x.id % 3 === 0)) {
    await search(page, a.mark);
    if (!norm(await page.locator(".akb-results").innerText()).includes(norm(a.text))) wrong.push(`search ${a.id}`);
    await checkPage(page, `bundle search ${a.mark}`, problems, "#akb-search-panel");
  }
  await ctx.close();
  assert.deepEqual(fired, [], "no payload ran");
  assert.deepEqual(wrong, [], "every route shows its page");
  assert.deepEqual(problems, [], "nothing that could run a payload");
  assert.deepEqual(errors.concat(more), [], "no script error");
});

// The site under its Content-Security-Policy: the sample content with `csp: true`.
// Waits without evaluating strings in the page (waitForFunction does, and the policy forbids it).
const oneResult = (page) => page.locator(".akb-search-count", { hasText: /^1 agent for/ }).waitFor();
async function underPolicy(url, work) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await ctx.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await ctx.newPage();
  const console = [], errors = [];
  page.on("console", (m) => { if (m.type() === "error") console.push(m.text()); });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await work(page);
  const violations = await page.evaluate(() => window.__violations);
  await ctx.close();
  return { violations, console, errors };
}

test("csp: true: every page carries the policy, the site works under it, an injected script is stopped", async () => {
  const dir = path.join(tmp, "csp");
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "agentkb.yaml"), `title: Policy\ncontent: ${JSON.stringify(path.join(TOP, "content"))}\ncsp: true\n`);
  const out = path.join(dir, "site"), single = path.join(dir, "one.html");
  execFileSync(AKB, ["build", "-c", path.join(dir, "agentkb.yaml"), "-o", out, "-q"]);
  execFileSync(AKB, ["bundle", "-c", path.join(dir, "agentkb.yaml"), "-o", single, "-q"]);
  const pages = [];
  (function walk(d) {
    for (const e of fs.readdirSync(d, { withFileTypes: true }))
      if (e.isDirectory()) walk(path.join(d, e.name)); else if (e.name.endsWith(".html")) pages.push(path.join(d, e.name));
  })(out);
  for (const p of pages) {
    const html = fs.readFileSync(p, "utf8");
    assert.match(html, /^<!DOCTYPE html>\n<html[^>]*>\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="default-src &#39;self&#39;; script-src &#39;self&#39; &#39;sha256-/, p);
  }
  checkLinks(AKB, out);
  const agent = "agents/server-hardening-specialist/index.html";
  const local = await serve(out, "/kb/");
  try {
    for (const base of [local.url, pathToFileURL(out).href + "/"]) {
      // Search, a result, the contents, the colour toggle, the copy button: no violation, no error.
      const r = await underPolicy(base + "index.html", async (page) => {
        await page.locator("#akb-search-input").fill("kubernetes");
        await oneResult(page);
        await page.locator(".akb-result a").first().click();
        await page.waitForURL(/server-hardening-specialist/);
        await page.locator(".theme-toggle").click();
        assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "light");
        await page.locator(".toc a").nth(1).click();
        await page.locator("figure.code button.copy").first().click();
      });
      assert.deepEqual(r, { violations: [], console: [], errors: [] }, `no violation under the policy (${base})`);
      // A phone: the contents fold before they are painted (the inline script after them runs).
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const pp = await phone.newPage();
      await pp.goto(base + agent);
      assert.equal(await pp.evaluate(() => document.querySelector(".toc details").open), false, "contents folded by their script");
      await phone.close();
    }
    // A script that is not the theme's, put into a built page, is stopped and reported.
    const file = path.join(out, agent);
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("</main>",
      "<script>__xss('csp-inline')</script><img src=x onerror=\"__xss('csp-handler')\"></main>"));
    const before = fired.length;
    const { ctx, page } = await guarded();
    const violations = [];
    page.on("console", (m) => { if (/Content Security Policy/.test(m.text())) violations.push(m.text()); });
    await page.goto(local.url + agent);
    await settle(page);
    await ctx.close();
    assert.equal(fired.length, before, "the injected script and handler did not run");
    assert.equal(violations.length, 2, violations.join("\n"));
  } finally {
    local.close();
  }
  // The single file: its own policy, and it works under it: search, a page, no request.
  const html = fs.readFileSync(single, "utf8");
  assert.equal((html.match(/http-equiv="Content-Security-Policy"/g) || []).length, 1, "one policy in the single file");
  assert.match(html, /content="default-src &#39;none&#39;; script-src &#39;unsafe-inline&#39;;/);
  const r = await underPolicy(pathToFileURL(single).href, async (page) => {
    await page.locator("#akb-search-input").fill("kubernetes");
    await oneResult(page);
    await page.locator(".akb-result a").first().click();
    await page.locator("main h1", { hasText: "server-hardening-specialist" }).waitFor();
  });
  assert.deepEqual(r, { violations: [], console: [], errors: [] }, "no violation in the single file");
});
