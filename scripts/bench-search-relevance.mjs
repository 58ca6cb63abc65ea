// Benchmark (make bench): search relevance of agentkb, MiniSearch and Pagefind
// side by side, on the held-out query set of tests/search/relevance.json over
// one site of every collection in ../shared/corpora. The same site, the same
// queries, the same scoring (tests/search/relevance.mjs: success@1,
// success@5, MRR over the top 10; by language too).
//   agentkb: the built index through themes/default/static/search-engine.js, in node.
//   MiniSearch 7.2: name, description and body of every agent, with the CJK
//     bigram tokenizer agentkb uses (so both index the same terms), boosts like
//     agentkb's (name 8, description 4), prefix search, fuzzy 0.2 and its
//     default OR of the words, as its documentation recommends for search-as-
//     you-type.
//   Pagefind 1.6: its own index of the agent pages (pagefind --site, default
//     options), queried in Debian's chromium over 127.0.0.1 (it needs a server).
// usage: node scripts/bench-search-relevance.mjs [--akb build/agentkb] [--corpora ../shared/corpora]
//          [--work DIR] [--skip-pagefind] [--skip-minisearch] [--verbose]
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { siteEngine } from "../tests/search/lib.mjs";
import { evaluate, summary, pct } from "../tests/search/relevance.mjs";
import { tokenize } from "./lib/cjk-bigrams.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const flag = (n) => argv.includes(n);
const opt = (n, d) => { const i = argv.indexOf(n); return i >= 0 && i + 1 < argv.length ? argv[i + 1] : d; };
const AKB = path.resolve(opt("--akb", path.join(REPO, "build/agentkb")));
const CORPORA = path.resolve(opt("--corpora", path.join(REPO, "../shared/corpora")));
const OWN_WORK = !opt("--work");
const WORK = OWN_WORK ? fs.mkdtempSync(path.join(os.tmpdir(), "akb-bench-rel-")) : path.resolve(opt("--work"));
const VERBOSE = flag("--verbose");
const note = (s) => process.stderr.write(`bench-search-relevance: ${s}\n`);

const site = path.join(WORK, "site");
fs.rmSync(site, { recursive: true, force: true });
execFileSync(AKB, ["build", CORPORA, "-o", site, "-q"], { cwd: WORK, stdio: ["ignore", "ignore", "pipe"] });
const agents = JSON.parse(fs.readFileSync(path.join(site, "agents.json"), "utf8"));
const nameOfUrl = new Map(agents.map((a) => [a.url, a.name]));
note(`${agents.length} agents`);

const results = [];
function report(engine, e) {
  results.push({ engine, e });
  const by = (lang) => {
    const rs = e.rows.filter((r) => r.lang === lang);
    return `${lang} ${rs.filter((r) => r.rank >= 1 && r.rank <= 5).length}/${rs.length}`;
  };
  console.log(`${engine.padEnd(10)} ${summary(e)}; success@5 by language: ${["en", "zh", "mixed"].map(by).join(", ")}`);
  if (VERBOSE) for (const r of e.rows) if (r.rank !== 1) console.log(`  ${engine} rank ${r.rank || "-"}: ${r.q} -> ${r.top.join(" | ")}`);
}

// ---- agentkb ----
{
  const { engine } = siteEngine(site);
  report("agentkb", await evaluate(async (q) => {
    const r = await engine.search(q);
    return (await engine.docs(r.ids.slice(0, 10))).map((d) => d.name);
  }));
}

// ---- MiniSearch ----
if (!flag("--skip-minisearch")) {
  const file = path.join(REPO, "node_modules/minisearch/dist/es/index.js");
  if (!fs.existsSync(file)) note("MiniSearch not installed (npm install --no-save minisearch@7.2.0): skipped");
  else {
    const { default: MiniSearch } = await import(file);
    const ms = new MiniSearch({
      fields: ["name", "description", "body"], storeFields: ["name"], tokenize,
      searchOptions: { boost: { name: 8, description: 4 }, prefix: true, fuzzy: 0.2 },
    });
    ms.addAll(agents.map((a, i) => ({
      id: i, name: a.name, description: a.description || a.summary || "",
      body: fs.readFileSync(path.join(site, a.raw_url), "utf8").replace(/^---\r?\n[\s\S]*?\r?\n-{3,}\r?\n/, ""),
    })));
    report("MiniSearch", await evaluate(async (q) => ms.search(q).slice(0, 10).map((r) => r.name)));
  }
}

// ---- Pagefind ----
if (!flag("--skip-pagefind")) {
  const bin = path.join(REPO, "node_modules/.bin/pagefind");
  if (!fs.existsSync(bin)) note("Pagefind not installed (npm install --no-save pagefind@1.6.0): skipped");
  else {
    const r = spawnSync(bin, ["--site", site, "--glob", "agents/**/*.html"], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`pagefind failed: ${r.stderr || r.stdout}`);
    const { launch } = await import("../tests/js/browser.mjs");
    const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };
    const server = http.createServer((req, res) => {
      const url = decodeURIComponent(new URL(req.url, "http://x").pathname);
      if (url === "/__rel.html") { res.writeHead(200, { "content-type": "text/html" }); res.end("<!doctype html><meta charset=utf-8><title>pf</title>"); return; }
      const f = path.join(site, url);
      if (!f.startsWith(site) || !fs.existsSync(f) || fs.statSync(f).isDirectory()) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { "content-type": TYPES[path.extname(f)] || "application/octet-stream" });
      res.end(fs.readFileSync(f));
    });
    await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
    const base = `http://127.0.0.1:${server.address().port}/`;
    const browser = await launch();
    const page = await browser.newPage();
    await page.goto(base + "__rel.html");
    await page.evaluate(async () => { window.__pf = await import("/pagefind/pagefind.js"); await window.__pf.init(); });
    report("Pagefind", await evaluate(async (q) => {
      const urls = await page.evaluate(async (query) => {
        const s = await window.__pf.search(query);
        const rows = await Promise.all(s.results.slice(0, 10).map((x) => x.data()));
        return rows.map((d) => d.url);
      }, q);
      // /agents/x/index.html (or /agents/x/) -> that agent's name
      return urls.map((u) => nameOfUrl.get(u.replace(/^\//, "").replace(/\/$/, "/index.html")) || u);
    }));
    await browser.close();
    server.close();
  }
}

// ---- side by side ----
console.log("");
console.log("| relevance (93 held-out queries, 918 agents) | " + results.map((r) => r.engine).join(" | ") + " |");
console.log("|---|" + results.map(() => "---").join("|") + "|");
for (const [label, f] of [["success@1", (e) => pct(e.at1)], ["success@5", (e) => pct(e.at5)], ["MRR@10", (e) => e.mrr.toFixed(3)]])
  console.log(`| ${label} | ${results.map((r) => f(r.e)).join(" | ")} |`);
for (const lang of ["en", "zh", "mixed"]) {
  console.log(`| success@5, ${lang} | ${results.map(({ e }) => {
    const rs = e.rows.filter((r) => r.lang === lang);
    return pct(rs.filter((r) => r.rank >= 1 && r.rank <= 5).length / rs.length);
  }).join(" | ")} |`);
}
const akb = results[0].e;
for (const { engine, e } of results.slice(1)) {
  console.log(`agentkb vs ${engine}: success@5 ${pct(akb.at5)} vs ${pct(e.at5)}, success@1 ${pct(akb.at1)} vs ${pct(e.at1)}, MRR ${akb.mrr.toFixed(3)} vs ${e.mrr.toFixed(3)}`);
}
if (OWN_WORK) fs.rmSync(WORK, { recursive: true, force: true });
