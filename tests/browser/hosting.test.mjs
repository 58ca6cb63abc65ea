// The sample site published under a subpath with its base URL set, as on
// static hosting (issue 6): a crawl in Chromium from the home page reaches
// every agent page with no failed request (page, stylesheet, script, icon)
// and no missing #anchor; every canonical URL and every sitemap URL is
// served; llms.txt links only raw files that are served.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { checkLinks, launch, serve } from "../js/browser.mjs";

const AKB = process.env.AKB_BIN || path.resolve("build/agentkb");
let tmp, site, browser, server;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "akb-hosting-"));
  site = path.join(tmp, "site");
  fs.mkdirSync(site);
  server = await serve(site, "/some/sub/path/");
  // The server reads files per request, so the site can be built once its address is known.
  execFileSync(AKB, ["build", "content", "-o", site, "-q", "--base-url", server.url]);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test("the site has no broken links", () => checkLinks(AKB, site));

test("a crawl from the home page reaches every agent with nothing broken", async () => {
  const page = await browser.newPage();
  const failures = [];
  page.on("requestfailed", (r) => failures.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on("response", (r) => { if (r.status() >= 400) failures.push(`${r.url()}: HTTP ${r.status()}`); });
  const seen = new Set(), queue = [server.url], anchors = [], ids = new Map();
  while (queue.length) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    await page.goto(url);
    ids.set(url, new Set(await page.$$eval("[id], a[name]", (es) => es.map((e) => e.id || e.name))));
    const canonical = await page.locator('link[rel="canonical"]').getAttribute("href");
    assert.equal(canonical, url.replace(/index\.html$/, ""), `canonical of ${url}`);
    const links = await page.$$eval("a[href]", (as) => as.map((a) => a.href));
    for (const link of links) {
      if (!link.startsWith(server.url)) continue;
      const [target, frag] = link.split("#");
      if (frag) anchors.push([url, target, decodeURIComponent(frag)]);
      if (target.endsWith(".html") || target.endsWith("/")) queue.push(target);
    }
  }
  await page.close();
  // Anchors: each target page, as the browser built it, holds the id.
  for (const [from, target, id] of anchors) {
    const key = target.endsWith("/") ? target + "index.html" : target;
    assert.ok(ids.get(key)?.has(id) || ids.get(target)?.has(id), `${from}: no #${id} in ${target}`);
  }
  assert.ok(anchors.length > 20, `${anchors.length} anchors checked`);
  assert.deepEqual(failures, []);
  const agents = JSON.parse(fs.readFileSync(path.join(site, "agents.json"), "utf8"));
  for (const a of agents) assert.ok(seen.has(server.url + encodeURI(a.url)), `agent ${a.url} reached`);
});

test("every sitemap URL and every llms.txt link is served", async () => {
  const sitemap = fs.readFileSync(path.join(site, "sitemap.xml"), "utf8");
  const locs = [...sitemap.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1].replace(/&amp;/g, "&"));
  const llms = fs.readFileSync(path.join(site, "llms.txt"), "utf8");
  const raws = [...llms.matchAll(/^- \[[^\]]*\]\(([^)]*)\)/gm)].map((m) => m[1]);
  assert.ok(locs.length > 40 && raws.length === 20, `${locs.length} sitemap URLs, ${raws.length} llms.txt links`);
  for (const url of [...locs, ...raws]) {
    assert.ok(url.startsWith(server.url), `${url} is under the base URL`);
    const res = await fetch(url);
    assert.equal(res.status, 200, url);
    await res.arrayBuffer();
  }
  const robots = fs.readFileSync(path.join(site, "robots.txt"), "utf8");
  assert.match(robots, new RegExp(`^Sitemap: ${server.url}sitemap\\.xml$`, "m"));
});
