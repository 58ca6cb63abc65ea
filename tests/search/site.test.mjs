// The real index: build the sample site (content/) with the C generator and
// query its search/*.js files through the browser engine, checking results
// against the agents' markdown sources.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { siteEngine, TOP } from "./lib.mjs";
import { checkLinks } from "../js/browser.mjs";

const AKB = process.env.AKB_BIN || path.join(TOP, "build/agentkb");
let tmp, site, sources;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "akb-search-site-"));
  site = path.join(tmp, "site");
  execFileSync(AKB, ["build", "content", "-o", site, "-q"], { cwd: TOP });
  // url -> markdown source, from the copies the site publishes next to each page.
  sources = new Map();
  for (const slug of fs.readdirSync(path.join(site, "agents"))) {
    const dir = path.join(site, "agents", slug);
    if (!fs.statSync(dir).isDirectory()) continue;
    const md = fs.readdirSync(dir).find((f) => f.endsWith(".md"));
    if (md) sources.set(`agents/${slug}/index.html`, fs.readFileSync(path.join(dir, md), "utf8"));
  }
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test("the site has no broken links", () => checkLinks(AKB, site));

async function urls(engine, q) {
  const r = await engine.search(q);
  return new Set((await engine.docs(r.ids)).map((d) => d.url));
}
function containing(re) {
  return new Set([...sources].filter(([, text]) => re.test(text)).map(([url]) => url));
}

test("the built index loads: every document has display data pointing at a page", async () => {
  const { engine, log } = siteEngine(site);
  const base = await engine.ready();
  assert.equal(base.v, 3);
  assert.equal(base.n, sources.size);
  assert.ok(base.n >= 20);
  assert.deepEqual(log, ["base"]);
  const all = await engine.search("");
  assert.equal(all.total, base.n);
  const rows = await engine.docs(all.ids);
  for (const d of rows) {
    assert.ok(d.name, "name");
    assert.ok(fs.existsSync(path.join(site, d.url)), d.url);
  }
  assert.equal(new Set(rows.map((d) => d.url)).size, base.n);
});

test("real queries find exactly the agents whose sources have the words", async () => {
  const { engine } = siteEngine(site);
  for (const [q, re] of [
    // 缓存 and its built-in synonyms (search_words.c).
    ["缓存", /缓存|\bcach(e|ing)\b/i],
    ["慢查询", /慢查询/],
    ["kubernetes", /kubernetes/i],
    ["metric", /\bmetric/i],
    ["prometheus ", /\bprometheus\b/i],
  ]) {
    const want = containing(re);
    assert.ok(want.size > 0, q);
    assert.deepEqual(await urls(engine, q), want, q);
  }
  // 微服务 is 微服 AND 服务: every source with 微服务 is found.
  const micro = await urls(engine, "微服务");
  for (const u of containing(/微服务/)) assert.ok(micro.has(u), u);
  // One CJK character: a prefix of the bigrams.
  assert.deepEqual(await urls(engine, "缓"), containing(/缓/));
  // A typo finds the same as the word.
  assert.deepEqual(await urls(engine, "kubernets "), containing(/kubernetes/i));
  assert.deepEqual(await urls(engine, "prometeus "), containing(/\bprometheus\b/i));
});

test("a name match ranks first", async () => {
  const { engine } = siteEngine(site);
  const r = await engine.search("incident");
  const [top] = await engine.docs(r.ids.slice(0, 1));
  assert.match(top.url, /incident-commander/);
  const m = await engine.search("metrics");
  assert.match((await engine.docs(m.ids.slice(0, 1)))[0].url, /metrics-analyst/);
});

test("a query loads base, then one or two shards (and facets.js for counts), then the chunks it shows", async () => {
  const { engine, log } = siteEngine(site);
  const r = await engine.search("kubernetes ");
  assert.equal(log[0], "base");
  assert.equal(log[log.length - 1], "facets");
  assert.ok(log.length <= 4 && log.slice(1, -1).every((n) => /^t[0-9a-f]{8}(-\d+)?$/.test(n)), log.join(" "));
  const before = log.length;
  await engine.docs(r.ids);
  assert.deepEqual(log.slice(before), [...new Set(r.ids.map((d) => "d" + Math.floor(d / 16)))]);
  const shards = fs.readdirSync(path.join(site, "search")).filter((f) => /^t[0-9a-f]{8}(-\d+)?\.js$/.test(f)).length;
  assert.ok(shards > 1, "the sample site has several shards");
});

test("facets of the sample site: every agent has one department", async () => {
  const { engine } = siteEngine(site);
  const r = await engine.search("");
  const keys = r.facets.map((f) => f.key);
  for (const k of ["department", "category", "model", "tools"]) assert.ok(keys.includes(k), k);
  const dept = r.facets.find((f) => f.key === "department");
  assert.deepEqual(dept.values.map((v) => v.value), ["data", "engineering", "operations", "product"]);
  assert.equal(dept.values.reduce((s, v) => s + v.count, 0), sources.size);
  const data = await engine.search("", { filters: { department: ["data"] } });
  assert.equal(data.total, dept.values[0].count);
  for (const d of await engine.docs(data.ids)) assert.equal(d.department, "data");
  const both = await engine.search("缓存", { filters: { department: ["data"] } });
  assert.ok(both.total > 0 && both.total < (await engine.search("缓存")).total);
});
