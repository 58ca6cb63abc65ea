// Printing an agent page (issue 6): under print media the header, search,
// footer, breadcrumb, table of contents and copy buttons are gone, code
// wraps instead of running off the page, outside links show their address
// and in-page or relative links do not, and code keeps the light theme even
// when the reader's screen is dark.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { checkLinks, launch } from "../js/browser.mjs";

const AKB = process.env.AKB_BIN || path.resolve("build/agentkb");
let tmp, site, browser;

const LONG = "const x = " + JSON.stringify("word ".repeat(80)) + ";";

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "akb-print-"));
  fs.mkdirSync(path.join(tmp, "c"));
  fs.writeFileSync(path.join(tmp, "c", "printer.md"), [
    "---", "name: printer", "description: Prints well.", "department: ops", "tools: Read, Bash", "---", "",
    "## Usage", "", "See [the docs](https://example.com/docs/print) and [below](#details).", "",
    "```js", LONG, "```", "", "## Details", "", "Plain text.", "",
  ].join("\n"));
  site = path.join(tmp, "site");
  execFileSync(AKB, ["build", path.join(tmp, "c"), "-o", site, "-q"]);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test("the site has no broken links", () => checkLinks(AKB, site));

async function openAgent(media, colorScheme = "light") {
  const page = await browser.newPage({ colorScheme, viewport: { width: 800, height: 1000 } });
  await page.emulateMedia({ media, colorScheme });
  await page.goto(pathToFileURL(path.join(site, "agents/printer/index.html")).href);
  // search.js reveals the search form; wait for it, so print CSS is what hides it.
  await page.waitForFunction(() => !document.querySelector(".akb-search").hidden);
  return page;
}

const HIDDEN_IN_PRINT = [".site-header", ".akb-search", ".site-footer", ".breadcrumb", ".toc",
  "figure.code button.copy", "button.copy-source", "a.button[download]"];

const afterContent = (page, sel) => page.locator(sel).first().evaluate((e) => getComputedStyle(e, "::after").content);

test("on screen the page has its navigation (so the print test can fail)", async () => {
  const page = await openAgent("screen");
  for (const sel of HIDDEN_IN_PRINT) {
    assert.equal(await page.locator(sel).count(), 1, `${sel} is on the agent page`);
  }
  for (const sel of HIDDEN_IN_PRINT) {
    assert.ok(await page.locator(sel).first().isVisible(), `${sel} shown on screen`);
  }
  assert.notEqual(await page.locator("figure.code pre").evaluate((e) => getComputedStyle(e).whiteSpace), "pre-wrap");
  assert.equal(await afterContent(page, '.prose a[href^="https:"]'), "none");
  await page.close();
});

test("printing hides navigation, search, footer, contents and buttons", async () => {
  const page = await openAgent("print");
  for (const sel of HIDDEN_IN_PRINT) {
    assert.equal(await page.locator(sel).first().isVisible(), false, `${sel} hidden in print`);
  }
  assert.ok(await page.locator(".prose h2#usage").isVisible(), "the body is printed");
  assert.ok(await page.locator(".agent-header h1").isVisible(), "the title is printed");
  await page.close();
});

test("printed code wraps inside the page", async () => {
  const page = await openAgent("print");
  const pre = page.locator("figure.code pre");
  assert.equal(await pre.evaluate((e) => getComputedStyle(e).whiteSpace), "pre-wrap");
  const { scroll, client, height } = await pre.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth,
    height: e.getBoundingClientRect().height }));
  assert.ok(scroll <= client, `no horizontal overflow (${scroll} > ${client})`);
  const lineHeight = await pre.evaluate((e) => parseFloat(getComputedStyle(e).lineHeight));
  assert.ok(height > 2 * lineHeight, "the long line wrapped onto several lines");
  await page.close();
});

test("printed outside links show their address; in-page and relative links do not", async () => {
  const page = await openAgent("print");
  assert.equal(await afterContent(page, '.prose a[href^="https:"]'), '" (https://example.com/docs/print)"');
  assert.equal(await afterContent(page, '.prose a[href="#details"]'), "none");
  assert.equal(await afterContent(page, ".facts a.badge"), "none");
  await page.close();
});

test("printed code keeps the light theme on a dark screen", async () => {
  const colour = async (media, scheme) => {
    const page = await openAgent(media, scheme);
    const c = await page.locator("pre.hl .kwa").first().evaluate((e) => getComputedStyle(e).color);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.close();
    return { c, bg };
  };
  const lightScreen = await colour("screen", "light");
  const darkScreen = await colour("screen", "dark");
  const darkPrint = await colour("print", "dark");
  assert.notEqual(darkScreen.c, lightScreen.c, "the screen follows the scheme");
  assert.equal(darkPrint.c, lightScreen.c, "print uses the light highlight theme");
  assert.equal(darkPrint.bg, "rgb(255, 255, 255)", "white paper");
});
