// Browsing collections as people keep them, in real Chromium (README "Browsing"):
//  - the real collections with no hook and no config are grouped by their folders
//    (wshobson: one group per plugin; agency-agents: its department folders); a group
//    shows at most 24 cards and links to the page with all of them; the navigation and
//    the stats line name no empty taxonomy; the jump links bring their group into view;
//  - on the fixture (tests/fixtures/browse/content): identical agents shown once, with "Also in";
//    namesakes told apart by their collection on cards and in search results; the
//    English and Chinese namesakes link to each other;
//  - install: the agent page's command, the cards' and the search results' "Copy install"
//    put on the clipboard a command that really installs the agent file (curl over http,
//    cp from a folder opened with file://; base_url's address when the site has one);
//  - <example> blocks in a body are a conversation, and stay code inside a fence;
//  - what each agent may do: badges on cards, the "What it can do" block, the access filter;
//  - on a phone the first group is on the first screen and cards are one column;
//  - other harnesses (tests/fixtures/formats/corpus): a skill's command unpacks its whole folder, a
//    Codex agent's installs its .toml, and the kind filter of search keeps one kind.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { fileURLToPath, pathToFileURL } from "node:url";
import { checkLinks, launch, serve } from "../js/browser.mjs";

const TOP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const AKB = path.resolve(process.env.AKB_BIN || path.join(TOP, "build/agentkb"));
const CORPORA = path.join(process.env.AKB_SHARED || path.resolve(TOP, "../shared"), "corpora");
const FIXTURE = path.join(TOP, "tests/fixtures/browse/content");
const FORMATS = path.join(TOP, "tests/fixtures/formats/corpus");
const DESKTOP = { viewport: { width: 1280, height: 900 } };
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };
const CLIP = { permissions: ["clipboard-read", "clipboard-write"] };
const BASE = "https://example.com/kb/";
const PER_GROUP = 24;

// Where each agent of the fixture comes from (slug -> source file).
const SOURCES = {
  "release-manager": "plugins/alpha/agents/release-manager.md",
  "api-tester": "plugins/alpha/agents/api-tester.md",
  "api-tester-2": "standalone/api-tester.md",
  "api-tester-3": "中文/api-tester.md",
  delegator: "standalone/delegator.md",
  reader: "standalone/reader.md",
  operator: "standalone/operator.md",
};
const source = (slug) => fs.readFileSync(path.join(FIXTURE, SOURCES[slug]));

let tmp, sites, browser, fxServer, basedServer, fmServer;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "akb-browse-"));
  const cwd = path.join(tmp, "cwd"); // an empty folder: no agentkb.yaml to pick up
  fs.mkdirSync(cwd);
  sites = {
    wshobson: path.join(tmp, "wshobson"),
    "agency-agents": path.join(tmp, "agency-agents"),
    // A folder whose path needs shell quoting, to check the cp command of file:// pages.
    fixture: path.join(tmp, "it's a kb", "站点"),
    based: path.join(tmp, "based"),
    formats: path.join(tmp, "it's a kb", "formats"),
  };
  const build = (src, out, ...more) =>
    execFileSync(AKB, ["build", src, "-o", out, "-q", ...more], { cwd, stdio: ["ignore", "ignore", "pipe"] });
  build(path.join(CORPORA, "wshobson"), sites.wshobson);
  build(path.join(CORPORA, "agency-agents"), sites["agency-agents"]);
  build(FIXTURE, sites.fixture);
  build(FIXTURE, sites.based, "--base-url", BASE);
  build(FORMATS, sites.formats);
  browser = await launch();
  fxServer = await serve(sites.fixture, "/kb/sub/");
  basedServer = await serve(sites.based, "/mirror/");
  fmServer = await serve(sites.formats, "/formats/");
});

after(async () => {
  fxServer?.close();
  basedServer?.close();
  fmServer?.close();
  await browser?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const fileURL = (site, rel) => pathToFileURL(path.join(sites[site], rel)).href;

// Records what the page copies, whichever way site.js copies it (the async clipboard, or a
// textarea and execCommand("copy")), for when the clipboard cannot be read back.
const RECORD = () => {
  window.__copied = [];
  const c = navigator.clipboard;
  if (c && c.writeText) {
    const w = c.writeText.bind(c);
    c.writeText = (t) => { window.__copied.push(String(t)); return w(t); };
  }
  const ex = document.execCommand.bind(document);
  document.execCommand = (cmd, ...rest) => {
    if (String(cmd).toLowerCase() === "copy") {
      const a = document.activeElement;
      window.__copied.push(a && "value" in a ? a.value : String(getSelection()));
    }
    return ex(cmd, ...rest);
  };
};

async function open(ctxOptions, url) {
  const ctx = await browser.newContext(ctxOptions);
  await ctx.addInitScript(RECORD);
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await ready(page);
  return { ctx, page, errors };
}
// search.js shows the search form; site.js has run once the theme button is labelled.
async function ready(page) {
  await page.waitForFunction(() => !document.querySelector(".akb-search").hidden);
  await page.waitForFunction(() => document.querySelector(".theme-toggle")?.title.includes("next"));
}

// Clicks a copy button and returns what reached the clipboard.
async function copy(page, button) {
  const sentinel = "nothing copied " + Math.random();
  const canRead = await page.evaluate(async (s) => {
    try { await navigator.clipboard.writeText(s); return (await navigator.clipboard.readText()) === s; } catch (e) { return false; }
  }, sentinel);
  // Granted, the clipboard is readable over http (a secure context on 127.0.0.1); from
  // file:// it may not be, and then what site.js copied is taken from the recording.
  if (page.url().startsWith("http")) assert.ok(canRead, "the clipboard can be read back");
  await page.evaluate(() => { window.__copied = []; });
  await button.click();
  await page.waitForFunction((b) => b.textContent === "Copied" || b.textContent === "Copy failed", await button.elementHandle());
  assert.equal(await button.textContent(), "Copied", "the button says the copy worked");
  const recorded = await page.evaluate(() => window.__copied);
  assert.equal(recorded.length, 1, `one copy made (${JSON.stringify(recorded)})`);
  if (canRead) {
    const text = await page.evaluate(() => navigator.clipboard.readText());
    assert.notEqual(text, sentinel, "the clipboard changed");
    assert.equal(text, recorded[0], "the clipboard holds what was copied");
    return text;
  }
  return recorded[0];
}

const shq = (s) => "'" + s.replace(/'/g, "'\\''") + "'";
const curlCommand = (slug, url) => `mkdir -p .claude/agents && curl -fsSL -o .claude/agents/${slug}.md ${shq(url)}`;
const cpCommand = (slug, file) => `mkdir -p .claude/agents && cp ${shq(file)} .claude/agents/${slug}.md`;

// Runs an install command in a new project folder (asynchronously: the http server is in
// this process) and checks that it put the agent's own file in .claude/agents/.
async function runInstall(cmd, slug) {
  const project = fs.mkdtempSync(path.join(tmp, "project-"));
  await promisify(execFile)("sh", ["-c", cmd], { cwd: project });
  const got = fs.readFileSync(path.join(project, ".claude/agents", slug + ".md"));
  assert.ok(got.equals(source(slug)), `${cmd} installs ${SOURCES[slug]}`);
}

// The install command expected for an agent of the fixture, and a check that what it
// points at really is that agent's raw file.
const HOW = {
  http: {
    url: (rel) => fxServer.url + rel,
    expect: (slug) => curlCommand(slug, `${fxServer.url}agents/${slug}/${slug}.md`),
    async serves(slug) {
      const res = await fetch(`${fxServer.url}agents/${slug}/${slug}.md`);
      assert.equal(res.status, 200);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(source(slug)), "the URL serves the agent's raw file");
    },
  },
  "file://": {
    url: (rel) => fileURL("fixture", rel),
    expect: (slug) => cpCommand(slug, path.join(sites.fixture, "agents", slug, slug + ".md")),
    async serves(slug) {
      const file = path.join(sites.fixture, "agents", slug, slug + ".md");
      assert.ok(fs.readFileSync(file).equals(source(slug)), "the path holds the agent's raw file");
    },
  },
};

for (const name of ["wshobson", "agency-agents", "fixture", "based", "formats"]) {
  test(`${name}: the site has no broken links`, () => checkLinks(AKB, sites[name]));
}

// ---- 1. grouping with no hook ----

// Every home-page group: its id, heading, count, cards (absolute URLs) and "more" link.
const groupsOf = (page) => page.evaluate(() => [...document.querySelectorAll("section.group")].map((s) => {
  const h2 = s.querySelector("h2");
  const name = h2 && h2.querySelector("a") ? h2.querySelector("a").textContent.trim() : h2 && h2.textContent.trim();
  const count = h2 && h2.querySelector(".count") ? Number(h2.querySelector(".count").textContent) : NaN;
  const more = s.querySelector("p.more a");
  return {
    id: s.id, hasH2: !!h2, name, count,
    cards: [...s.querySelectorAll(".card")].map((c) => c.querySelector(".card-title a").href),
    more: more ? more.href : null,
  };
}));

for (const [name, check] of [
  ["wshobson", (groups) => assert.ok(groups.length > 50, `one group per plugin (${groups.length} groups)`)],
  ["agency-agents", (groups) => {
    assert.ok(groups.some((g) => g.name === "engineering"), `an engineering group (${groups.map((g) => g.name)})`);
    assert.ok(groups.some((g) => g.more), "some department folder has more than a group shows");
  }],
]) {
  test(`${name}, no config: the home page is grouped by folder, at most ${PER_GROUP} cards a group, the rest one click away`, async () => {
    const { ctx, page, errors } = await open(DESKTOP, fileURL(name, "index.html"));
    const groups = await groupsOf(page);
    assert.ok(groups.length > 0, "the home page has groups");
    check(groups);
    for (const g of groups) {
      assert.ok(g.hasH2, `group ${g.id} has a heading`);
      assert.ok(g.cards.length >= 1, `${g.name}: cards shown`);
      assert.ok(g.cards.length <= PER_GROUP, `${g.name}: ${g.cards.length} cards shown, at most ${PER_GROUP}`);
      assert.equal(g.cards.length, Math.min(g.count, PER_GROUP), `${g.name}: as many cards as its count allows`);
      if (g.count > g.cards.length) assert.ok(g.more, `${g.name} is capped, so it links to the rest`);
      else assert.equal(g.more, null, `${g.name} shows everything, no link`);
    }
    const capped = groups.filter((g) => g.more);
    for (const [i, g] of capped.entries()) {
      // The first by a click, as a reader would; the others directly.
      if (i === 0) {
        await page.locator(`[id="${g.id}"] p.more a`).click();
        await page.waitForURL(g.more);
      } else {
        await page.goto(g.more);
      }
      await ready(page);
      const all = await page.evaluate(() => [...document.querySelectorAll(".card .card-title a")].map((a) => a.href));
      for (const c of g.cards) assert.ok(all.includes(c), `${g.name}: ${c} is on ${g.more}`);
      assert.equal(all.length, g.count, `${g.more} has all ${g.count} agents of ${g.name}`);
    }
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test(`${name}, no config: the navigation and stats name no empty taxonomy`, async () => {
    const { ctx, page } = await open(DESKTOP, fileURL(name, "index.html"));
    const nav = await page.locator(".site-nav a").allTextContents();
    assert.ok(nav.map((t) => t.trim()).includes("Collections"), `Collections in the nav (${nav})`);
    assert.ok(!nav.some((t) => /departments/i.test(t)), `no Departments in the nav (${nav})`);
    const stats = (await page.locator(".hero .stats").textContent()).replace(/\s+/g, " ");
    assert.doesNotMatch(stats, /\b0 departments/, stats);
    assert.doesNotMatch(stats, /(^|[^\d,.])0 \p{L}/u, `no empty count at all: ${stats}`);
    assert.match(stats, /\d+ collections/, stats);
    await ctx.close();
  });

  test(`${name}: the jump links bring their group into view, heading readable`, async () => {
    const { ctx, page, errors } = await open(DESKTOP, fileURL(name, "index.html"));
    const ids = await page.evaluate(() => [...document.querySelectorAll("section.group")].map((s) => s.id));
    const hrefs = await page.locator("nav.jump a").evaluateAll((as) => as.map((a) => decodeURIComponent(a.getAttribute("href"))));
    assert.deepEqual(hrefs, ids.map((id) => "#" + id), "one jump link per group, in order");
    const picks = [...new Set([0, Math.floor(ids.length / 2), ids.length - 1])];
    const failures = [];
    // More than 16 groups: the links are folded under "All N collections", so the first cards show.
    const folded = await page.locator("details.jump-all").count();
    assert.equal(folded, ids.length > 16 ? 1 : 0, "jump links folded only for many groups");
    for (const i of picks) {
      if (folded && !(await page.locator("details.jump-all").evaluate((d) => d.open))) {
        assert.equal(await page.locator("nav.jump a").nth(i).isVisible(), false, "folded at first");
        await page.locator("details.jump-all > summary").click();
      }
      await page.locator("nav.jump a").nth(i).click();
      await page.waitForFunction((id) => decodeURIComponent(location.hash) === "#" + id, ids[i]);
      // Wait for the scroll to settle (two frames without movement), however it scrolls.
      await page.evaluate(() => new Promise((resolve) => {
        let last = -1, still = 0;
        const tick = () => { if (scrollY === last && ++still >= 2) resolve(); else { if (scrollY !== last) still = 0; last = scrollY; requestAnimationFrame(tick); } };
        requestAnimationFrame(tick);
      }));
      const v = await page.evaluate((id) => {
        const s = document.getElementById(id), h2 = s.querySelector("h2");
        const r = s.getBoundingClientRect(), h = h2.getBoundingClientRect();
        const at = document.elementFromPoint(h.left + Math.min(20, h.width / 2), h.top + h.height / 2);
        return { top: r.top, bottom: r.bottom, h2Top: h.top, h2Bottom: h.bottom, onTop: at ? at.outerHTML.slice(0, 80) : null,
          headingShown: !!at && h2.contains(at), vh: innerHeight };
      }, ids[i]);
      if (!(v.top < v.vh && v.bottom > 0)) failures.push(`#${ids[i]}: the section is not in view (${v.top}..${v.bottom})`);
      else if (!(v.h2Top >= 0 && v.h2Bottom <= v.vh && v.headingShown)) {
        failures.push(`#${ids[i]}: its heading (y ${Math.round(v.h2Top)}..${Math.round(v.h2Bottom)}) is hidden under ${v.onTop}`);
      }
    }
    assert.deepEqual(failures, [], "each jump link shows its group and the group's heading");
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

// ---- 5. phone ----

test("phone, wshobson: the first group's heading is on the first screen", async () => {
  const { ctx, page } = await open(PHONE, fileURL("wshobson", "index.html"));
  const h2 = await page.locator("section.group h2").first().boundingBox();
  const jump = await page.locator("nav.jump").boundingBox();
  assert.ok(h2.y >= 0 && h2.y + h2.height <= 844,
    `first group heading at y ${Math.round(h2.y)}..${Math.round(h2.y + h2.height)} (the jump links take ${Math.round(jump.height)}px), screen 844`);
  await ctx.close();
});

test("phone, wshobson: cards are one column, nothing wider than the screen", async () => {
  const { ctx, page } = await open(PHONE, fileURL("wshobson", "index.html"));
  const r = await page.evaluate(() => ({
    vw: innerWidth,
    scrollWidth: document.scrollingElement.scrollWidth,
    cards: [...document.querySelectorAll(".card")].map((c) => { const b = c.getBoundingClientRect(); return { w: b.width, x: b.left }; }),
  }));
  assert.equal(r.vw, 390);
  assert.ok(r.cards.length > 50, `${r.cards.length} cards`);
  const narrow = r.cards.filter((c) => c.w < 0.8 * r.vw);
  assert.deepEqual(narrow, [], "every card at least 80% of the screen's width");
  assert.ok(r.scrollWidth <= r.vw, `no sideways scrolling (${r.scrollWidth})`);
  await ctx.close();
});

// ---- 2. duplicates and namesakes ----

const cardsOf = (page) => page.evaluate(() => [...document.querySelectorAll(".card")].map((c) => {
  const a = c.querySelector(".card-title a"), q = c.querySelector(".qualifier"), kin = c.querySelector(".kin");
  return { name: a.textContent.trim(), href: a.getAttribute("href"), qualifier: q ? q.textContent.trim() : null,
    kin: kin ? kin.textContent.replace(/\s+/g, " ").trim() : null };
}));

test("fixture: an identical copy is one card, with 'Also in … (identical)', and its page names the copy", async () => {
  const { ctx, page, errors } = await open(DESKTOP, HOW.http.url("index.html"));
  const rm = (await cardsOf(page)).filter((c) => c.name === "release-manager");
  assert.equal(rm.length, 1, "one release-manager card");
  assert.match(rm[0].kin || "", /^Also in beta \(identical\)$/);
  assert.equal(rm[0].qualifier, null, "a copy is not a namesake");
  await page.locator(".card-title a", { hasText: "release-manager" }).click();
  await page.waitForURL(/agents\/release-manager\/index\.html$/);
  await ready(page);
  const kin = (await page.locator(".agent-meta .kin").allTextContents()).join(" ");
  assert.match(kin, /Also in\s+plugins\/beta\/agents\/release-manager\.md/, kin);
  assert.match(await page.locator(".source").textContent(), /plugins\/alpha\/agents\/release-manager\.md/, "the page is the first copy's");
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("fixture: namesakes show their collection beside the name on cards", async () => {
  const { ctx, page } = await open(DESKTOP, HOW["file://"].url("index.html"));
  const cards = await cardsOf(page);
  const testers = cards.filter((c) => c.name === "api-tester");
  assert.equal(testers.length, 3);
  assert.deepEqual(testers.map((c) => c.qualifier).sort(), ["alpha", "standalone", "中文"]);
  assert.equal(cards.find((c) => c.name === "delegator").qualifier, null, "no qualifier without a namesake");
  // The qualifier sits beside the name, on its line.
  const name = await page.locator(".card-title", { hasText: "standalone" }).locator("a").boundingBox();
  const q = await page.locator(".card-title .qualifier", { hasText: "standalone" }).boundingBox();
  assert.ok(q.x >= name.x + name.width && q.y < name.y + name.height && q.y + q.height > name.y, "qualifier right of the name");
  await ctx.close();
});

for (const how of ["http", "file://"]) {
  test(`fixture: searching api-tester gives results told apart by their collection (${how})`, async () => {
    const { ctx, page, errors } = await open(DESKTOP, HOW[how].url("index.html"));
    await page.locator("#akb-search-input").pressSequentially("api-tester");
    await page.waitForFunction(() => [...document.querySelectorAll(".akb-result")].filter((r) => r.querySelector(".qualifier")).length >= 3);
    const rows = await page.evaluate(() => [...document.querySelectorAll(".akb-result")].map((r) => {
      const n = r.querySelector(".akb-result-name").cloneNode(true), q = n.querySelector(".qualifier");
      if (q) q.remove();
      return { name: n.textContent.trim(), qualifier: q ? q.textContent.trim() : null, href: r.querySelector("a").getAttribute("href") };
    }));
    const testers = rows.filter((r) => r.name === "api-tester");
    assert.equal(testers.length, 3, JSON.stringify(rows));
    assert.deepEqual(testers.map((r) => r.qualifier).sort(), ["alpha", "standalone", "中文"]);
    assert.equal(new Set(testers.map((r) => r.href)).size, 3, "three different pages");
    // Each qualifier is the collection of the agent its row opens.
    for (const r of testers) {
      const slug = r.href.match(/agents\/([^/]+)\//)[1];
      const want = { "api-tester": "alpha", "api-tester-2": "standalone", "api-tester-3": "中文" }[slug];
      assert.equal(r.qualifier, want, `${r.href} is from ${want}`);
    }
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

// The agent page's title: its name, and the qualifier beside it.
const titleOf = (page) => page.locator(".agent-header h1").evaluate((h) => {
  const c = h.cloneNode(true), q = c.querySelector(".qualifier");
  if (q) q.remove();
  return { name: c.textContent.trim(), qualifier: q ? q.textContent.trim() : null };
});

test("fixture: the English api-tester links to the Chinese one, which links back to an English one", async () => {
  const { ctx, page, errors } = await open(DESKTOP, HOW["file://"].url("agents/api-tester/index.html"));
  assert.equal(await page.locator("article.agent").getAttribute("lang"), "en");
  assert.deepEqual(await titleOf(page), { name: "api-tester", qualifier: "alpha" });
  await page.locator(".agent-meta .kin a", { hasText: "中文" }).click();
  await page.waitForURL(/agents\/api-tester-3\/index\.html$/);
  await ready(page);
  assert.deepEqual(await titleOf(page), { name: "api-tester", qualifier: "中文" });
  assert.match(await page.locator("article.agent").getAttribute("lang"), /^zh/);
  assert.match(await page.locator(".agent-header .lede").textContent(), /契约测试/);
  await page.locator(".agent-meta .kin a", { hasText: "English" }).click();
  await page.waitForURL(/agents\/api-tester(-2)?\/index\.html$/);
  await ready(page);
  const back = await titleOf(page);
  assert.equal(back.name, "api-tester");
  assert.ok(["alpha", "standalone"].includes(back.qualifier), `an English namesake (${back.qualifier})`);
  assert.equal(await page.locator("article.agent").getAttribute("lang"), "en");
  assert.deepEqual(errors, []);
  await ctx.close();
});

// ---- 3. install ----

for (const how of ["http", "file://"]) {
  test(`install: the agent page's command is shown, copied, and installs the agent (${how})`, async () => {
    for (const slug of ["delegator", "api-tester-2"]) {
      const { ctx, page, errors } = await open({ ...DESKTOP, ...CLIP }, HOW[how].url(`agents/${slug}/index.html`));
      const block = page.locator(".install-block");
      assert.match(await block.locator("h2").textContent(), /Install for Claude Code/);
      assert.ok((await block.textContent()).includes(`.claude/agents/${slug}.md`), "the block names where the file goes");
      const want = HOW[how].expect(slug);
      const shown = await block.locator("code.install-command").textContent();
      assert.equal(shown, want, "the command shown");
      const copied = await copy(page, block.locator(".copy-install"));
      assert.equal(copied, want, "the command copied");
      assert.equal(copied, shown, "copied as shown");
      await HOW[how].serves(slug);
      await runInstall(copied, slug);
      assert.deepEqual(errors, []);
      await ctx.close();
    }
  });

  test(`install: a card's and a search result's "Copy install" copy their agent's command (${how})`, async () => {
    const { ctx, page, errors } = await open({ ...DESKTOP, ...CLIP }, HOW[how].url("index.html"));
    for (const slug of ["delegator", "api-tester-2"]) {
      const card = page.locator(".card").filter({ has: page.locator(`.card-title a[href="agents/${slug}/index.html"]`) });
      assert.equal(await card.count(), 1);
      const copied = await copy(page, card.locator(".copy-install"));
      assert.equal(copied, HOW[how].expect(slug), `card of ${slug}`);
      await runInstall(copied, slug);
    }
    await page.locator("#akb-search-input").pressSequentially("delegator");
    const row = page.locator(".akb-result").filter({ has: page.locator('a[href$="agents/delegator/index.html"]') });
    await row.first().waitFor();
    const copied = await copy(page, row.first().locator(".akb-result-copy"));
    assert.equal(copied, HOW[how].expect("delegator"), "search result of delegator");
    await runInstall(copied, "delegator");
    // A namesake's row copies its own agent's command, not the first api-tester's.
    await page.locator("#akb-search-input").fill("");
    await page.locator("#akb-search-input").pressSequentially("api-tester");
    const zh = page.locator(".akb-result").filter({ has: page.locator('a[href$="agents/api-tester-3/index.html"]') });
    await zh.first().waitFor();
    assert.equal(await copy(page, zh.first().locator(".akb-result-copy")), HOW[how].expect("api-tester-3"), "search result of api-tester-3");
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

test("install with --base-url, served elsewhere: the agent page and the cards use base_url's address", async () => {
  const url = `${BASE}agents/delegator/delegator.md`;
  assert.ok(fs.readFileSync(path.join(sites.based, "agents/delegator/delegator.md")).equals(source("delegator")), "base_url + path is the raw file");
  const want = curlCommand("delegator", url);
  const { ctx, page, errors } = await open({ ...DESKTOP, ...CLIP }, basedServer.url + "agents/delegator/index.html");
  const block = page.locator(".install-block");
  assert.equal(await block.locator("code.install-command").textContent(), want, "the command shown");
  assert.equal(await copy(page, block.locator(".copy-install")), want, "the command copied");
  await page.goto(basedServer.url + "index.html");
  await ready(page);
  const card = page.locator(".card").filter({ has: page.locator('.card-title a[href="agents/delegator/index.html"]') });
  assert.equal(await copy(page, card.locator(".copy-install")), want, "the card's command");
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("install with --base-url, served elsewhere: a search result's Copy install uses base_url's address too", async () => {
  const want = curlCommand("delegator", `${BASE}agents/delegator/delegator.md`);
  const { ctx, page, errors } = await open({ ...DESKTOP, ...CLIP }, basedServer.url + "index.html");
  await page.locator("#akb-search-input").pressSequentially("delegator");
  const row = page.locator(".akb-result").filter({ has: page.locator('a[href$="agents/delegator/index.html"]') });
  await row.first().waitFor();
  assert.equal(await copy(page, row.first().locator(".akb-result-copy")), want,
    "the search result copies the same command as the card and the page of the same agent");
  assert.deepEqual(errors, []);
  await ctx.close();
});

// ---- 4. <example> in a body ----

test("fixture: capability badges on cards and the 'What it can do' block (file://)", async () => {
  const { ctx, page, errors } = await open(DESKTOP, HOW["file://"].url("index.html"));
  const badges = (name) => page.locator(".card", { has: page.locator(".card-title a", { hasText: new RegExp(`^${name}$`) }) })
    .locator(".badge-access").evaluateAll((bs) => bs.map((b) => `${b.textContent}:${b.className.split(" ").pop()}`));
  assert.deepEqual(await badges("reader"), ["read-only:ok"]);
  assert.deepEqual(await badges("operator"), ["bypasses permissions:danger", "shell (scoped):info"]);
  assert.deepEqual(await badges("delegator"), ["all tools:warn"]);
  // The badges are readable: their text and background differ.
  const colours = await page.locator(".badge-access.danger").first().evaluate((b) => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]);
  assert.notEqual(colours[0], colours[1]);
  await page.goto(HOW["file://"].url("agents/operator/index.html"));
  const can = await page.locator(".can-block").innerText();
  assert.match(can, /What it can do/);
  assert.match(can, /Bash\(git status:\*, git tag:\*\)/, "the scoped Bash, commas and all");
  assert.match(can, /MCP servers\s+github: create_release list_tags/);
  assert.match(can, /May start\s+reader/);
  assert.match(can, /Denied\s+Write/);
  assert.match(can, /≈ \d+ tokens of context/);
  assert.ok(await page.locator(".can-block").isVisible());
  await page.goto(HOW["file://"].url("agents/delegator/index.html"));
  assert.match(await page.locator(".can-block").innerText(), /Inherits all tools of the session/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("fixture: the Access filter of search keeps the read-only agents (http)", async () => {
  const { ctx, page } = await open(DESKTOP, HOW.http.url("index.html"));
  await page.locator(".akb-search-filters").click();
  const box = page.locator('.akb-facet input[data-facet="access"][value="read-only"]');
  await box.waitFor();
  await box.check();
  await page.waitForFunction(() => /^1 agent/.test(document.querySelector(".akb-search-count")?.textContent || ""));
  assert.deepEqual(await page.locator(".akb-result .akb-result-name").allInnerTexts(), ["reader"]);
  await ctx.close();
});

test("wshobson: the agent graph from file://, clickable and filtered by collection", async () => {
  const { ctx, page, errors } = await open(DESKTOP, fileURL("wshobson", "graph/index.html"));
  const nodes = page.locator("svg.graph .nodes a");
  assert.ok(await nodes.count() >= 10, `${await nodes.count()} nodes`);
  assert.ok(await page.locator("svg.graph line").count() >= 5);
  // The filter shows (site.js), and a collection unticked takes its nodes and their edges out.
  const box = page.locator(".graph-filter");
  assert.ok(await box.isVisible());
  const first = box.locator("input").first();
  const name = await first.inputValue();
  const mine = page.locator(`svg.graph .nodes a[data-collection="${name}"]`);
  assert.ok(await mine.count() >= 1);
  await first.uncheck();
  assert.equal(await mine.first().evaluate((a) => getComputedStyle(a).display), "none");
  const hiddenEdges = await page.locator("svg.graph line").evaluateAll((ls, n) =>
    ls.filter((l) => l.getAttribute("data-collection").split(" ").includes(n)).every((l) => getComputedStyle(l).display === "none"), name);
  assert.ok(hiddenEdges, "its edges go too");
  await first.check();
  assert.notEqual(await mine.first().evaluate((a) => getComputedStyle(a).display), "none");
  // A node opens its agent.
  const target = await nodes.first().getAttribute("href");
  await nodes.first().locator("circle").click();
  await page.waitForURL((u) => u.href.endsWith(target.replace(/^\.\.\//, "")));
  assert.ok(await page.locator(".agent-header h1").isVisible());
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("wshobson: related agents on an agent page lead to them (file://)", async () => {
  const { ctx, page } = await open(DESKTOP, fileURL("wshobson", "agents/sql-pro/index.html"));
  const links = page.locator(".related li a");
  assert.equal(await links.count(), 6);
  const names = await links.allInnerTexts();
  assert.ok(names.filter((n) => /database/.test(n)).length >= 4, names.join(" | "));
  await links.first().click();
  await page.waitForFunction((n) => document.querySelector(".agent-header h1")?.textContent.includes(n), names[0]);
  await ctx.close();
});

test("fixture: an <example> in the body is a conversation; inside a code fence it stays code", async () => {
  const text = source("delegator").toString();
  const body = text.slice(text.indexOf("\n---", 3) + 4);
  const block = body.slice(body.indexOf("<example>"), body.indexOf("</example>"));
  const context = block.match(/^Context:\s*(.+)$/m)[1].trim();
  const user = block.match(/^user:\s*"(.+)"\s*$/m)[1];
  const assistant = block.match(/^assistant:\s*"(.+)"\s*$/m)[1];
  const commentary = block.match(/<commentary>\s*([\s\S]*?)\s*<\/commentary>/)[1];
  const fenced = body.match(/```text\n([\s\S]*?)```/)[1];
  assert.match(fenced, /<example>/, "the fixture has an example inside a fence");

  const { ctx, page, errors } = await open(DESKTOP, HOW["file://"].url("agents/delegator/index.html"));
  const ex = page.locator(".prose .examples-inline");
  assert.equal(await ex.locator(".example").count(), 1, "one conversation (the fenced one is not)");
  const turns = await ex.locator(".turn").evaluateAll((ts) => ts.map((t) => ({ cls: t.className, text: t.textContent.replace(/\s+/g, " ").trim() })));
  assert.equal(turns.length, 2);
  assert.ok(turns[0].cls.split(" ").includes("user") && turns[0].text.includes(user), `user turn: ${turns[0].text}`);
  assert.ok(turns[1].cls.split(" ").includes("assistant") && turns[1].text.includes(assistant), `assistant turn: ${turns[1].text}`);
  assert.ok(await ex.locator(".turn.user").isVisible());
  assert.ok(await ex.locator(".turn.assistant").isVisible());
  assert.ok((await ex.textContent()).includes(context), "its context");
  assert.ok((await ex.textContent()).includes(commentary), "its commentary");
  const r = await page.evaluate(() => {
    const prose = document.querySelector(".prose");
    const codes = [...prose.querySelectorAll("pre code")].map((c) => ({ text: c.textContent, inExamples: !!c.closest(".examples") }));
    const clone = prose.cloneNode(true);
    clone.querySelectorAll("pre").forEach((p) => p.remove());
    return { codes, outsideCode: clone.textContent };
  });
  const code = r.codes.find((c) => c.text === fenced);
  assert.ok(code, `the fenced example is a code block, as written (${JSON.stringify(r.codes)})`);
  assert.equal(code.inExamples, false);
  for (const tag of ["<example>", "</example>", "<commentary>", "user:", "assistant:"]) {
    assert.ok(!r.outsideCode.includes(tag), `no '${tag}' left as text outside code`);
  }
  assert.ok(!turns.some((t) => t.text.includes("inside a code block")), "the fenced example is no conversation");
  assert.deepEqual(errors, []);
  await ctx.close();
});

// ---- 6. other harnesses ----

// Every file below `dir`, as relative path -> bytes.
function tree(dir, rel = "") {
  const out = {};
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) Object.assign(out, tree(dir, r));
    else out[r] = fs.readFileSync(path.join(dir, r));
  }
  return out;
}

const FORMAT_HOW = {
  http: {
    url: (rel) => fmServer.url + rel,
    skill: (slug) => `mkdir -p .claude/skills && curl -fsSL ${shq(`${fmServer.url}agents/${slug}/${slug}.tar.gz`)} | tar -xzf - -C .claude/skills`,
    codex: (slug) => `mkdir -p .codex/agents && curl -fsSL -o .codex/agents/${slug}.toml ${shq(`${fmServer.url}agents/${slug}/${slug}.toml`)}`,
  },
  "file://": {
    url: (rel) => fileURL("formats", rel),
    skill: (slug) => `mkdir -p .claude/skills && tar -xzf ${shq(path.join(sites.formats, "agents", slug, slug + ".tar.gz"))} -C .claude/skills`,
    codex: (slug) => `mkdir -p .codex/agents && cp ${shq(path.join(sites.formats, "agents", slug, slug + ".toml"))} .codex/agents/${slug}.toml`,
  },
};

for (const how of ["http", "file://"]) {
  test(`formats: a skill's install command unpacks its whole folder (${how})`, async () => {
    const { ctx, page, errors } = await open({ ...DESKTOP, ...CLIP }, FORMAT_HOW[how].url("agents/mcp-builder/index.html"));
    const block = page.locator(".install-block");
    assert.match(await block.locator("h2").textContent(), /Install for Claude Code/);
    const want = FORMAT_HOW[how].skill("mcp-builder");
    assert.equal(await block.locator("code.install-command").textContent(), want, "the command shown");
    const copied = await copy(page, block.locator(".copy-install"));
    assert.equal(copied, want, "the command copied");
    // The files block links every file of the skill folder, and each link opens it.
    const listed = await page.locator(".files-block li a").evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute("href")]));
    const src = tree(path.join(FORMATS, "anthropics-skills/skills/mcp-builder"));
    assert.deepEqual(listed.map((l) => l[0]).sort(), Object.keys(src).sort(), "every file of the folder is listed");
    const project = fs.mkdtempSync(path.join(tmp, "project-"));
    await promisify(execFile)("sh", ["-c", copied], { cwd: project });
    const got = tree(path.join(project, ".claude/skills/mcp-builder"));
    assert.deepEqual(Object.keys(got).sort(), Object.keys(src).sort(), "the unpacked folder has the skill's files");
    for (const [rel, bytes] of Object.entries(src)) assert.ok(got[rel].equals(bytes), `${rel} unpacked as written`);
    const [, href] = listed.find((l) => l[0] === "reference/evaluation.md");
    await page.locator(`.files-block a[href="${href}"]`).click();
    await page.waitForURL(/files\/reference\/evaluation\.md$/);
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test(`formats: a Codex agent's install command saves its .toml (${how})`, async () => {
    const { ctx, page, errors } = await open({ ...DESKTOP, ...CLIP }, FORMAT_HOW[how].url("agents/security-auditor/index.html"));
    const block = page.locator(".install-block");
    assert.match(await block.locator("h2").textContent(), /Install for Codex/);
    const want = FORMAT_HOW[how].codex("security-auditor");
    assert.equal(await block.locator("code.install-command").textContent(), want);
    const copied = await copy(page, block.locator(".copy-install"));
    assert.equal(copied, want);
    const project = fs.mkdtempSync(path.join(tmp, "project-"));
    await promisify(execFile)("sh", ["-c", copied], { cwd: project });
    const got = fs.readFileSync(path.join(project, ".codex/agents/security-auditor.toml"));
    assert.ok(got.equals(fs.readFileSync(path.join(FORMATS, "harnesses/.codex/agents/security-auditor.toml"))), "the agent's own file");
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

test("formats: the kind filter of search keeps only skills (http)", async () => {
  const { ctx, page, errors } = await open(DESKTOP, FORMAT_HOW.http.url("index.html"));
  await page.locator("#akb-search-input").pressSequentially("python");
  await page.locator(".akb-result").first().waitFor();
  const before = await page.locator(".akb-search-count").textContent();
  await page.locator(".akb-search-filters").click();
  const box = page.locator('.akb-facet input[data-facet="kind"][value="Skill"]');
  await box.waitFor();
  await box.check();
  await page.waitForFunction((b) => document.querySelector(".akb-search-count")?.textContent !== b, before);
  const rows = await page.locator(".akb-result a[href*='agents/']").evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute("href")))]);
  assert.ok(rows.length >= 5, `${rows.length} skills about python`);
  const skills = new Set(JSON.parse(fs.readFileSync(path.join(sites.formats, "agents.json"), "utf8"))
    .filter((a) => a.kind === "skill").map((a) => a.slug));
  for (const h of rows) {
    const slug = h.match(/agents\/([^/]+)\//)[1];
    assert.ok(skills.has(slug), `${slug} is a skill`);
  }
  assert.deepEqual(errors, []);
  await ctx.close();
});
