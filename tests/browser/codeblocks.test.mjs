// Code blocks in a real browser: the copy button copies exactly the code
// (no line numbers, no extra blank lines), from file:// and over http, and
// the generated highlight theme follows prefers-color-scheme.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { checkLinks, launch, serve } from "../js/browser.mjs";

const AKB = process.env.AKB_BIN || path.resolve("build/agentkb");
let tmp, site, browser, server;

const CODE = "def f(x):\n    return x * 2\n\n\nprint(f(1))\n";

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "akb-browser-"));
  fs.mkdirSync(path.join(tmp, "c"));
  fs.writeFileSync(path.join(tmp, "c", "coder.md"),
    "---\nname: coder\n---\n\n```python {2} linenos\n" + CODE + "```\n\n```js\nconst a = `x\ny`;\n```\n");
  site = path.join(tmp, "site");
  execFileSync(AKB, ["build", path.join(tmp, "c"), "-o", site, "-q"]);
  browser = await launch();
  server = await serve(site, "/docs/agents/");
});

after(async () => {
  await browser?.close();
  server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// Captures what the page puts on the clipboard, whichever API it uses.
test("the site has no broken links", () => checkLinks(AKB, site));

async function copiedText(page, nth) {
  await page.evaluate(() => {
    window.__copied = null;
    if (navigator.clipboard) navigator.clipboard.writeText = async (t) => { window.__copied = t; };
    document.execCommand = () => { window.__copied = document.activeElement.value; return true; };
  });
  await page.locator("figure.code button.copy").nth(nth).click();
  await page.waitForFunction(() => window.__copied !== null);
  return page.evaluate(() => window.__copied);
}

for (const where of ["file", "http"]) {
  test(`copy button copies exactly the code (${where})`, async () => {
    const page = await browser.newPage();
    const url = where === "file"
      ? pathToFileURL(path.join(site, "agents/coder/index.html")).href
      : server.url + "agents/coder/index.html";
    await page.goto(url);
    assert.equal(await copiedText(page, 0), CODE);
    assert.equal(await copiedText(page, 1), "const a = `x\ny`;\n");
    assert.equal(await page.locator("figure.code .lin").count(), 5);
    assert.equal(await page.locator("figure.code .line.hll").count(), 1);
    assert.match(await page.locator("figure.code .line.hll").innerText(), /return x \* 2/);
    await page.close();
  });
}

test("highlight theme follows the colour scheme", async () => {
  const colours = {};
  for (const scheme of ["light", "dark"]) {
    const page = await browser.newPage({ colorScheme: scheme });
    await page.goto(pathToFileURL(path.join(site, "agents/coder/index.html")).href);
    colours[scheme] = await page.locator("pre.hl .kwa").first().evaluate((e) => getComputedStyle(e).color);
    await page.close();
  }
  assert.notEqual(colours.light, colours.dark);
});
