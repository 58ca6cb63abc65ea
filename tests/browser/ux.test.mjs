// The default theme on phones and with a chosen colour theme, in real Chromium:
//  - at 390x844 (a phone, touch) an agent page shows its title above the fold and
//    before the table of contents, which is folded (before the first paint); the
//    header is one line, with the navigation in a menu; no "/" key hint on touch;
//    search results come before the filters;
//  - on a wide screen the contents stay open beside the article;
//  - the light/dark/auto toggle cycles, persists across a reload (http, file://
//    and the single-file bundle) and is applied before the body is parsed; the page
//    and the code really change colour, and printing stays light;
//  - comments and keywords have 4.5:1 contrast on the code background, light and dark;
//  - aria-current marks the current page or section in the navigation, and the
//    table of contents marks the section being read as the page scrolls.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { checkLinks, launch, sampleSite, serve } from "../js/browser.mjs";

const AKB = process.env.AKB_BIN || path.resolve("build/agentkb");
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };
const DESKTOP = { viewport: { width: 1280, height: 900 } };
let tmp, site, bundle, browser, server;

before(async () => {
  ({ tmp, site, bundle } = sampleSite(AKB, "akb-ux-"));
  browser = await launch();
  server = await serve(site, "/docs/kb/");
});

after(async () => {
  server?.close();
  await browser?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const fileURL = (rel) => pathToFileURL(path.join(site, rel)).href;
const httpURL = (rel) => server.url + rel;
const AGENT = "agents/rails-maintainer/index.html";

async function open(ctxOptions, url, init) {
  const ctx = await browser.newContext(ctxOptions);
  if (init) await ctx.addInitScript(init);
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  // search.js shows the search form; site.js has run once the theme button is labelled.
  await page.waitForFunction(() => !document.querySelector(".akb-search").hidden);
  await page.waitForFunction(() => document.querySelector(".theme-toggle")?.title.includes("next"));
  return { ctx, page, errors };
}
const box = (page, sel) => page.locator(sel).first().boundingBox();

test("the site has no broken links", () => checkLinks(AKB, site));

test("phone: the title comes first and above the fold, the contents are folded below it", async () => {
  const { ctx, page, errors } = await open(PHONE, fileURL(AGENT));
  const h1 = await box(page, ".agent-header h1");
  const lede = await box(page, ".agent-header .lede");
  const toc = await box(page, ".toc");
  assert.ok(h1.y >= 0 && h1.y + h1.height <= 844, `h1 within the first screen (${h1.y})`);
  assert.ok(lede.y + lede.height <= 844, "the summary too");
  assert.ok(h1.y < toc.y && lede.y + lede.height <= toc.y + 1, `title (${h1.y}) and summary above the contents (${toc.y})`);
  assert.equal(await page.locator(".toc details").evaluate((d) => d.open), false, "contents folded");
  assert.equal(await page.locator(".toc ol").isVisible(), false, "no list shown");
  assert.ok(toc.height < 60, `a folded contents is one line (${toc.height})`);
  // Unfolding shows the list; choosing a section folds it again and goes there.
  await page.locator(".toc summary").click();
  assert.ok(await page.locator(".toc ol").isVisible(), "the contents open on a tap");
  const link = page.locator(".toc a").nth(3);
  const id = decodeURIComponent((await link.getAttribute("href")).slice(1));
  await link.click();
  await page.waitForFunction(() => !document.querySelector(".toc details").open);
  await page.waitForFunction((x) => {
    const r = document.getElementById(x).getBoundingClientRect();
    return r.top >= 0 && r.top < 200;
  }, id);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("phone: the contents are folded while the page is parsed, not after it is painted", async () => {
  // Records, when `open` goes away, whether the rest of the article has been parsed yet.
  const init = () => {
    window.__fold = null;
    new MutationObserver((ms) => {
      for (const m of ms) {
        if (m.type === "attributes" && m.target.matches?.(".toc details") && !m.target.open && window.__fold === null) {
          window.__fold = { metaParsed: !!document.querySelector(".agent-meta"), footerParsed: !!document.querySelector(".site-footer") };
        }
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["open"] });
  };
  const { ctx, page } = await open(PHONE, fileURL(AGENT), init);
  assert.deepEqual(await page.evaluate(() => window.__fold), { metaParsed: false, footerParsed: false });
  await ctx.close();
});

test("phone: the header is one line, with the navigation in a menu", async () => {
  const { ctx, page } = await open(PHONE, fileURL("departments/index.html"));
  const header = await box(page, ".site-header");
  assert.ok(header.height < 70, `header height ${header.height}`);
  for (const sel of [".brand", ".akb-search-input", ".akb-search-filters", ".theme-toggle", ".nav-toggle"]) {
    const b = await box(page, sel);
    assert.ok(b && b.width > 0, `${sel} shown`);
    assert.ok(b.y >= header.y && b.y + b.height <= header.y + header.height, `${sel} inside the header line`);
    assert.ok(b.x >= 0 && b.x + b.width <= 390, `${sel} inside the screen`);
  }
  assert.ok((await box(page, ".akb-search-input")).width >= 60, "room to type");
  assert.equal(await page.locator(".site-nav").isVisible(), false, "links folded into the menu");
  const toggle = page.locator(".nav-toggle");
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  await toggle.click();
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  for (const a of await page.locator(".site-nav a").all()) assert.ok(await a.isVisible(), "every link in the open menu");
  assert.ok((await box(page, ".site-header")).height < 70, "the menu opens over the page, the header keeps its height");
  await page.keyboard.press("Escape");
  assert.equal(await page.locator(".site-nav").isVisible(), false, "Escape closes it");
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  await toggle.click();
  await page.locator(".site-nav a", { hasText: "Tools" }).click();
  await page.waitForURL(/tools\/index\.html$/);
  assert.equal(await page.locator(".site-nav").isVisible(), false, "a new page starts with it closed");
  await ctx.close();
});

test("phone without JavaScript: still one header line, the links scroll sideways", async () => {
  const ctx = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(fileURL(AGENT));
  assert.ok((await box(page, ".site-header")).height < 70);
  assert.ok(await page.locator(".site-nav a").first().isVisible(), "links shown without a menu");
  assert.equal(await page.locator(".nav-toggle").isVisible(), false, "no button that cannot work");
  assert.equal(await page.locator(".theme-toggle").isVisible(), false);
  assert.ok(await page.locator(".toc ol").isVisible(), "the contents, open, after the title");
  assert.ok((await box(page, ".agent-header h1")).y < (await box(page, ".toc")).y);
  await ctx.close();
});

test("no '/' key hint on a touch screen; there is one with a mouse", async () => {
  const phone = await open(PHONE, fileURL("index.html"));
  assert.equal(await phone.page.locator("kbd.akb-search-key").isVisible(), false);
  await phone.ctx.close();
  const tablet = await open({ viewport: { width: 1024, height: 768 }, hasTouch: true, isMobile: true }, fileURL("index.html"));
  assert.equal(await tablet.page.locator("kbd.akb-search-key").isVisible(), false, "a wide touch screen neither");
  await tablet.ctx.close();
  const desk = await open(DESKTOP, fileURL("index.html"));
  assert.equal(await desk.page.locator("kbd.akb-search-key").isVisible(), true);
  await desk.ctx.close();
});

test("phone: search results come before the filters, near the top", async () => {
  const { ctx, page } = await open(PHONE, httpURL("index.html"));
  await page.locator("#akb-search-input").fill("data");
  await page.waitForFunction(() => document.querySelectorAll(".akb-result").length > 0 && document.querySelectorAll(".akb-facet").length > 0);
  const first = await box(page, ".akb-result");
  assert.ok(first.y + first.height < 844 / 2, `first result high on the screen (${first.y})`);
  if (await page.locator(".akb-search-filters").getAttribute("aria-expanded") === null) {
    assert.ok((await box(page, ".akb-facets")).y > first.y, "the filters after the results");
  } else {
    // search.js folds them behind the Filters button on narrow screens.
    assert.equal(await page.locator(".akb-facets").isVisible(), false, "the filters folded");
  }
  // The CSS search.js can use on narrow screens: aria-expanded on Filters folds them away, or
  // opens them above the results in a box of bounded height.
  await page.locator(".akb-search-filters").evaluate((b) => b.setAttribute("aria-expanded", "false"));
  assert.equal(await page.locator(".akb-facets").isVisible(), false);
  await page.locator(".akb-search-filters").evaluate((b) => b.setAttribute("aria-expanded", "true"));
  const open1 = await box(page, ".akb-facets");
  const first1 = await box(page, ".akb-result");
  assert.ok(open1.y < first1.y, "opened filters come first");
  assert.ok(open1.height <= 844 * 0.45 + 1, `bounded (${open1.height})`);
  assert.ok(first1.y < 844, "and the results still start on the first screen");
  await ctx.close();
});

test("phone: the first tap on Filters shows the filters, on screen; a second folds them", async () => {
  const { ctx, page } = await open(PHONE, httpURL("index.html"));
  const btn = page.locator(".akb-search-filters");
  await btn.tap();
  await page.waitForFunction(() => document.querySelectorAll(".akb-facet").length > 0);
  assert.equal(await btn.getAttribute("aria-expanded"), "true");
  assert.ok(await page.locator(".akb-facets").isVisible(), "shown at the first tap");
  const f = await box(page, ".akb-facets");
  assert.ok(f.y >= 0 && f.y < 844 / 2, `near the top (${f.y})`);
  // A filter picked there narrows the list and is counted on the button.
  await page.locator('.akb-facet input[data-facet="department"]').first().check();
  await page.waitForFunction(() => /1 on/.test(document.querySelector(".akb-search-filters").getAttribute("aria-label")));
  await btn.tap();
  assert.equal(await btn.getAttribute("aria-expanded"), "false");
  assert.equal(await page.locator(".akb-facets").isVisible(), false);
  assert.ok(await page.locator(".akb-result").first().isVisible());
  await ctx.close();
});

test("wide screen: the contents stay open in a sticky column beside the article", async () => {
  const { ctx, page } = await open(DESKTOP, fileURL(AGENT));
  const toc = await box(page, ".toc");
  const h1 = await box(page, ".agent-header h1");
  const prose = await box(page, ".prose");
  assert.ok(await page.locator(".toc ol").isVisible());
  assert.ok(toc.x >= prose.x + prose.width, "beside the text");
  assert.ok(Math.abs(toc.y - h1.y) < 60, "level with the title");
  await page.locator(".toc summary").click();
  assert.ok(await page.locator(".toc ol").isVisible(), "its heading does not fold it");
  await page.evaluate(() => window.scrollTo(0, 1500));
  const stuck = await box(page, ".toc");
  assert.ok(stuck.y >= 0 && stuck.y < 120, `still in view after scrolling (${stuck.y})`);
  // Narrowing the window folds it; widening opens it again.
  await page.setViewportSize({ width: 600, height: 900 });
  await page.waitForFunction(() => !document.querySelector(".toc details").open);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.waitForFunction(() => document.querySelector(".toc details").open);
  await ctx.close();
});

// ---- colour theme ----

const state = (page) => page.evaluate(() => {
  const code = document.querySelector("pre.hl");
  return {
    theme: document.documentElement.getAttribute("data-theme"),
    stored: (() => { try { return localStorage.getItem("akb-theme"); } catch (e) { return "unavailable"; } })(),
    bg: getComputedStyle(document.body).backgroundColor,
    codeBg: getComputedStyle(code).backgroundColor,
    kw: getComputedStyle(code.querySelector(".kwa, .kwb")).color,
    scheme: document.querySelector('meta[name="color-scheme"]').content,
    label: document.querySelector(".theme-toggle").getAttribute("aria-label"),
  };
});
const WHITE = "rgb(255, 255, 255)", DARK_BG = "rgb(15, 17, 21)";
const LIGHT_CODE = "rgb(246, 248, 250)", DARK_CODE = "rgb(22, 27, 34)";

for (const [how, url] of [["http", () => httpURL(AGENT)], ["file://", () => fileURL(AGENT)]]) {
  test(`theme toggle: auto → light → dark → auto, kept across a reload (${how})`, async () => {
    const { ctx, page, errors } = await open({ ...DESKTOP, colorScheme: "light" }, url());
    const auto = await state(page);
    assert.equal(auto.theme, "auto");
    assert.equal(auto.stored, null);
    assert.equal(auto.bg, WHITE);
    assert.equal(auto.codeBg, LIGHT_CODE, "code on the page's light code background");
    assert.equal(auto.scheme, "light dark");
    assert.match(auto.label, /auto/);

    await page.locator(".theme-toggle").click();
    const light = await state(page);
    assert.deepEqual([light.theme, light.stored, light.bg, light.scheme], ["light", "light", WHITE, "light"]);
    assert.match(light.label, /light/);

    await page.locator(".theme-toggle").click();
    const dark = await state(page);
    assert.deepEqual([dark.theme, dark.stored, dark.bg, dark.codeBg, dark.scheme], ["dark", "dark", DARK_BG, DARK_CODE, "dark"]);
    assert.notEqual(dark.kw, light.kw, "code colours change with the page");
    assert.match(dark.label, /dark/);

    await page.reload();
    await page.waitForFunction(() => document.querySelector(".theme-toggle")?.title.includes("next"));
    const again = await state(page);
    assert.deepEqual(again, dark, "the choice survives a reload");
    // Other pages of the site have it too.
    await page.locator(".site-nav a", { hasText: "Departments" }).click();
    await page.waitForURL(/departments\/index\.html$/);
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), DARK_BG);
    await page.goBack();

    await page.locator(".theme-toggle").click();
    const back = await state(page);
    assert.deepEqual([back.theme, back.stored, back.bg, back.scheme], ["auto", null, WHITE, "light dark"]);
    // Auto follows the system.
    await page.emulateMedia({ colorScheme: "dark" });
    const sysDark = await state(page);
    assert.deepEqual([sysDark.bg, sysDark.codeBg, sysDark.kw], [DARK_BG, DARK_CODE, dark.kw]);
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

test("theme toggle: a forced light beats a dark system, a forced dark a light one", async () => {
  const { ctx, page } = await open({ ...DESKTOP, colorScheme: "dark" }, fileURL(AGENT));
  const sys = await state(page);
  assert.equal(sys.bg, DARK_BG, "auto on a dark system is dark");
  await page.locator(".theme-toggle").click(); // light
  const light = await state(page);
  assert.deepEqual([light.theme, light.bg, light.codeBg], ["light", WHITE, LIGHT_CODE]);
  assert.notEqual(light.kw, sys.kw, "light code colours on a dark system");
  await page.emulateMedia({ colorScheme: "light" });
  await page.locator(".theme-toggle").click(); // dark
  const dark = await state(page);
  assert.deepEqual([dark.bg, dark.codeBg, dark.kw], [DARK_BG, DARK_CODE, sys.kw]);
  await ctx.close();
});

test("theme toggle: applied before the body is parsed (no flash of the other theme)", async () => {
  const init = () => {
    try { localStorage.setItem("akb-theme", "dark"); } catch (e) { /* file:// may refuse */ }
    window.__themeAt = null;
    new MutationObserver(() => {
      if (window.__themeAt === null && document.documentElement.getAttribute("data-theme")) {
        window.__themeAt = { theme: document.documentElement.getAttribute("data-theme"), body: !!document.body };
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-theme"] });
  };
  const { ctx, page } = await open({ ...DESKTOP, colorScheme: "light" }, httpURL(AGENT), init);
  assert.deepEqual(await page.evaluate(() => window.__themeAt), { theme: "dark", body: false });
  await ctx.close();
});

test("theme toggle: a page whose storage throws still works, for this page", async () => {
  const init = () => {
    Object.defineProperty(window, "localStorage", { get() { throw new Error("SecurityError"); } });
  };
  const { ctx, page, errors } = await open({ ...DESKTOP, colorScheme: "light" }, fileURL(AGENT), init);
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute("data-theme")), "auto");
  await page.locator(".theme-toggle").click();
  await page.locator(".theme-toggle").click();
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), DARK_BG);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("theme toggle: a dark choice still prints light", async () => {
  const { ctx, page } = await open({ ...DESKTOP, colorScheme: "dark" }, fileURL(AGENT));
  const light = await (async () => {
    await page.emulateMedia({ colorScheme: "light" });
    const s = await state(page);
    await page.emulateMedia({ colorScheme: "dark" });
    return s;
  })();
  await page.locator(".theme-toggle").click();
  await page.locator(".theme-toggle").click();
  assert.equal((await state(page)).theme, "dark");
  await page.emulateMedia({ media: "print", colorScheme: "dark" });
  const printed = await state(page);
  assert.equal(printed.bg, WHITE, "white paper");
  assert.equal(printed.kw, light.kw, "light code colours");
  assert.equal(await page.locator(".theme-toggle").isVisible(), false, "no toggle on paper");
  await ctx.close();
});

test("single file: the chosen theme is applied from its <head>, and the page parts follow the route", async () => {
  const ctx = await browser.newContext({ ...DESKTOP, colorScheme: "light" });
  const page = await ctx.newPage();
  const url = pathToFileURL(bundle).href;
  await page.goto(url);
  await page.waitForSelector("main .card");
  await page.locator(".theme-toggle").click();
  await page.locator(".theme-toggle").click();
  await page.reload();
  await page.waitForSelector("main .card");
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute("data-theme")), "dark");
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), DARK_BG);
  const current = () => page.locator(".site-nav a").evaluateAll((as) => as.map((a) => `${a.textContent}:${a.getAttribute("aria-current")}`));
  assert.deepEqual((await current())[0], "All agents:page");
  await page.locator(".site-nav a", { hasText: "Departments" }).click();
  await page.waitForFunction(() => location.hash === "#/departments/");
  await page.waitForFunction(() => document.querySelector(".site-nav a[aria-current]")?.textContent === "Departments");
  assert.deepEqual(await current(), ["All agents:null", "Departments:page", "Categories:null", "Languages:null", "Access:null", "Tools:null", "Models:null"]);
  await page.goto(url + "#/agents/api-gateway-designer/");
  await page.waitForSelector("main .toc");
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector("pre.hl")).backgroundColor), DARK_CODE);
  await page.locator("#workflow").evaluate((h) => h.scrollIntoView());
  await page.waitForFunction(() => document.querySelector(".toc a[aria-current]")?.getAttribute("href").endsWith("#workflow"));
  await ctx.close();
});

// ---- contrast ----

function contrastIn(page) {
  return page.evaluate(() => {
    const rgb = (s) => s.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
    const lum = (c) => {
      const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const seen = {};
    for (const el of document.querySelectorAll("pre.hl :is(.com, .slc, .kwa, .kwb, .kwc, .kwd)")) {
      const bg = getComputedStyle(el.closest("pre")).backgroundColor;
      const r = ratio(rgb(getComputedStyle(el).color), rgb(bg));
      const cls = el.className;
      if (!seen[cls] || r < seen[cls].min) seen[cls] = { min: Math.round(r * 100) / 100, color: getComputedStyle(el).color, bg };
    }
    return seen;
  });
}

for (const [scheme, forced] of [["light", null], ["dark", null], ["light", "dark"], ["dark", "light"]]) {
  test(`comments and keywords reach 4.5:1 on the code background (${forced ? `${forced} chosen on a ${scheme} system` : `${scheme} system`})`, async () => {
    const init = forced ? `try { localStorage.setItem("akb-theme", "${forced}"); } catch (e) {}` : undefined;
    const ctx = await browser.newContext({ ...DESKTOP, colorScheme: scheme });
    if (init) await ctx.addInitScript(init);
    const page = await ctx.newPage();
    const classes = new Set();
    for (const slug of ["accessibility-auditor", "rails-maintainer", "react-performance-tuner", "api-gateway-designer"]) {
      await page.goto(httpURL(`agents/${slug}/index.html`));
      const seen = await contrastIn(page);
      for (const [cls, v] of Object.entries(seen)) {
        classes.add(cls);
        assert.ok(v.min >= 4.5, `${slug} .${cls}: ${v.color} on ${v.bg} is ${v.min}:1`);
        assert.equal(v.bg, (forced || scheme) === "dark" ? DARK_CODE : LIGHT_CODE, "the page's code background");
      }
    }
    assert.deepEqual([...classes].sort(), ["com", "kwa", "kwb", "kwc", "kwd", "slc"], "every class measured");
    await ctx.close();
  });
}

// ---- where the reader is ----

const navCurrent = (page) => page.locator(".site-nav a").evaluateAll((as) =>
  Object.fromEntries(as.map((a) => [a.textContent.trim(), a.getAttribute("aria-current")])));

for (const [how, url] of [["http", httpURL], ["file://", fileURL]]) {
  test(`aria-current on the navigation link of the page and its section (${how})`, async () => {
    const { ctx, page } = await open(DESKTOP, url("departments/index.html"));
    assert.deepEqual(await navCurrent(page), { "All agents": null, Departments: "page", Categories: null, Languages: null, Access: null, Tools: null, Models: null });
    await page.goto(url("languages/index.html"));
    assert.deepEqual(await navCurrent(page), { "All agents": null, Departments: null, Categories: null, Languages: "page", Access: null, Tools: null, Models: null });
    await page.goto(url("tools/index.html"));
    assert.deepEqual(await navCurrent(page), { "All agents": null, Departments: null, Categories: null, Languages: null, Access: null, Tools: "page", Models: null });
    await page.goto(url("departments/data/index.html"));
    assert.deepEqual(await navCurrent(page), { "All agents": null, Departments: "true", Categories: null, Languages: null, Access: null, Tools: null, Models: null });
    await page.goto(url("index.html"));
    assert.deepEqual(await navCurrent(page), { "All agents": "page", Departments: null, Categories: null, Languages: null, Access: null, Tools: null, Models: null });
    await page.goto(url(AGENT));
    assert.deepEqual(await navCurrent(page), { "All agents": "true", Departments: null, Categories: null, Languages: null, Access: null, Tools: null, Models: null });
    // It shows.
    await page.goto(url("departments/index.html"));
    const [on, off] = await page.locator(".site-nav a").evaluateAll((as) => [as[1], as[2]].map((a) => getComputedStyle(a).color + getComputedStyle(a).textDecorationLine));
    assert.notEqual(on, off, "the current link looks different");
    await ctx.close();
  });
}

test("the table of contents marks the section being read as the page scrolls", async () => {
  const { ctx, page } = await open(DESKTOP, httpURL("agents/api-gateway-designer/index.html"));
  const active = () => page.locator(".toc a[aria-current]").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  const waitActive = (id) => page.waitForFunction((x) => {
    const as = document.querySelectorAll(".toc a[aria-current]");
    return as.length === 1 && as[0].getAttribute("href") === `#${x}` && as[0].getAttribute("aria-current") === "true";
  }, id);
  assert.deepEqual(await active(), [], "nothing at the top, above the first section");
  const ids = await page.locator(".toc a").evaluateAll((as) => as.map((a) => decodeURIComponent(a.getAttribute("href").slice(1))));
  assert.ok(ids.length >= 5);
  // A jump, as a link or a search result would make.
  await page.locator(`[id="${ids[1]}"]`).evaluate((h) => h.scrollIntoView());
  await waitActive(ids[1]);
  // Reading on with the wheel, into the next section.
  const next = await page.locator(`[id="${ids[2]}"]`).evaluate((h) => h.getBoundingClientRect().top);
  await page.mouse.move(400, 400);
  await page.mouse.wheel(0, next - 100);
  await waitActive(ids[2]);
  // Clicking an entry marks it.
  await page.locator(`.toc a[href="#${ids[3]}"]`).click();
  await waitActive(ids[3]);
  // The end of the page: the last section, even if it never reaches the line.
  await page.evaluate(() => window.scrollTo(0, document.scrollingElement.scrollHeight));
  await waitActive(ids[ids.length - 1]);
  // And back to the top: none.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForFunction(() => !document.querySelector(".toc a[aria-current]"));
  // The mark is visible.
  await page.locator(`[id="${ids[1]}"]`).evaluate((h) => h.scrollIntoView());
  await waitActive(ids[1]);
  const [on, off] = await page.locator(".toc a").evaluateAll((as) => [as[1], as[0]].map((a) => getComputedStyle(a).color));
  assert.notEqual(on, off);
  await ctx.close();
});
