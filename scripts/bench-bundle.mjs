// Bundle benchmark (issue 6): agentkb bundle on content/ and on all of
// ../shared/corpora as one site (the collections copied into one folder, as
// bench-search.mjs does). Per site: the time to bundle (median of runs, the
// build included), the size of the single file raw and gzip (-6, as a web
// server would send it), what its page data weighs as JSON and stored
// (gzip + base64), the .zip and .tar.gz sizes, and in Debian's chromium from
// file:// the time from navigation to the home page shown, to an agent page
// opened by a #/ link, and to the first search result.
// This is a benchmark: it prints figures and never fails on them.
// usage: node scripts/bench-bundle.mjs [--akb build/agentkb] [--corpora ../shared/corpora] [--runs 3]
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath, pathToFileURL } from "node:url";
import { launch } from "../tests/js/browser.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def; };
const AKB = path.resolve(opt("--akb", path.join(REPO, "build/agentkb")));
const CORPORA = path.resolve(opt("--corpora", path.join(REPO, "../shared/corpora")));
const RUNS = Math.max(1, Number(opt("--runs", 3)));
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), "akb-bench-bundle-"));

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const kb = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : `${(n / 1e3).toFixed(0)} KB`);
const gz = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 6 }).length;

function bundle(src, out) {
  const times = [];
  let stats = "";
  for (let r = 0; r < RUNS; r++) {
    const t = process.hrtime.bigint();
    const p = spawnSync(AKB, ["bundle", src, "-o", out, "-q", "--stats"], { cwd: REPO, encoding: "utf8" });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (p.status !== 0) throw new Error(`bundle ${src} failed: ${p.stderr.slice(-500)}`);
    stats = p.stderr.split("\n").find((l) => l.startsWith("bundle stats:")) || "";
  }
  return { ms: median(times), stats };
}

async function open(file, slug) {
  const browser = await launch();
  const home = [], agent = [], search = [];
  try {
    for (let r = 0; r < RUNS; r++) {
      let page = await browser.newPage();
      let t = Date.now();
      await page.goto(pathToFileURL(file).href, { waitUntil: "commit" });
      await page.waitForSelector("main .card", { timeout: 60000 });
      home.push(Date.now() - t);
      t = Date.now();
      await page.locator("#akb-search-input").fill("cache");
      await page.waitForSelector(".akb-result", { timeout: 60000 });
      search.push(Date.now() - t);
      await page.close();
      page = await browser.newPage();
      t = Date.now();
      await page.goto(pathToFileURL(file).href + `#/agents/${slug}/`, { waitUntil: "commit" });
      await page.waitForSelector("main article.agent", { timeout: 60000 });
      agent.push(Date.now() - t);
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return { home: median(home), agent: median(agent), search: median(search) };
}

const sets = [["content/ (20 agents)", path.join(REPO, "content")]];
if (fs.existsSync(CORPORA)) {
  const all = path.join(WORK, "corpora-all");
  fs.mkdirSync(all);
  for (const c of fs.readdirSync(CORPORA, { withFileTypes: true })) {
    if (c.isDirectory()) fs.cpSync(path.join(CORPORA, c.name), path.join(all, c.name), { recursive: true, dereference: true });
  }
  sets.push(["all corpora", all]);
}

try {
  for (const [label, src] of sets) {
    const html = path.join(WORK, "agents.html"), zip = path.join(WORK, "agents.zip"), tgz = path.join(WORK, "agents.tar.gz");
    const h = bundle(src, html);
    const z = bundle(src, zip), t = bundle(src, tgz);
    const build = [];
    for (let r = 0; r < RUNS; r++) {
      const t0 = process.hrtime.bigint();
      execFileSync(AKB, ["build", src, "-o", path.join(WORK, "site"), "-q"], { cwd: REPO, stdio: "ignore" });
      build.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const agents = JSON.parse(fs.readFileSync(path.join(WORK, "site", "agents.json"), "utf8"));
    const m = h.stats.match(/page data (\d+) bytes JSON, (\d+) gzip; search index and files (\d+) bytes JSON, (\d+) gzip/);
    const frags = (h.stats.match(/(\d+) shared fragments/) || [])[1];
    const siteBytes = Number(execFileSync("du", ["-sb", path.join(WORK, "site")]).toString().split("\t")[0]);
    console.log(`bundle ${label}: ${agents.length} agents, site folder ${kb(siteBytes)}, build ${(median(build) / 1000).toFixed(2)} s`);
    console.log(`  single file: ${kb(fs.statSync(html).size)} raw, ${kb(gz(html))} gzip; bundled in ${(h.ms / 1000).toFixed(2)} s`);
    if (m) {
      console.log(`  page data ${kb(+m[1])} as JSON (${frags} shared fragments) -> ${kb(+m[2])} gzip, ${kb(Math.ceil(m[2] / 3) * 4)} base64;` +
        ` search index and files ${kb(+m[3])} -> ${kb(+m[4])} gzip`);
    }
    console.log(`  .zip ${kb(fs.statSync(zip).size)} in ${(z.ms / 1000).toFixed(2)} s; .tar.gz ${kb(fs.statSync(tgz).size)} in ${(t.ms / 1000).toFixed(2)} s`);
    if (fs.existsSync("/usr/bin/chromium") || process.env.CHROMIUM) {
      const slug = agents[Math.floor(agents.length / 2)].slug;
      const o = await open(html, slug);
      console.log(`  chromium, file://: home page shown ${o.home} ms, agent page by #/ link ${o.agent} ms, first search result ${o.search} ms`);
    }
  }
} finally {
  fs.rmSync(WORK, { recursive: true, force: true });
}
