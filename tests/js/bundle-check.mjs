// Checks a single-file bundle (agentkb bundle -o FILE.html) against the site
// folder a normal build of the same content made:
//  - every page of the site (each .html with a <main>) is a route of the bundle;
//  - every "#/route" link in the pages and the shell names a page or a carried
//    file, and every "#/route#id" an element id of that page;
//  - nothing in the file would be fetched: no <script src>, no <link href>
//    but data: icons, no src/srcset/poster but data: URLs, no @import or url()
//    in its styles that is not data:;
//  - each shared fragment is used more than once and stored once, and each
//    agent's card is stored once (no duplicated strings per agent);
//  - the inline scripts parse (node --check).
// Prints "bundle-check: N passed, N failed" (run-tests.sh adds it up).
// usage: node tests/js/bundle-check.mjs BUNDLE.html SITE_DIR
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { execFileSync } from "node:child_process";

const [file, site] = process.argv.slice(2);
let passed = 0, failed = 0;
function check(ok, what) {
  if (ok) passed++;
  else { failed++; console.error(`FAIL: ${what}`); }
}

const html = fs.readFileSync(file, "utf8");
function block(id) {
  const m = html.match(new RegExp(`<script type="application/x-akb-data" id="${id}">([^<]*)</script>`));
  if (!m) return null;
  return JSON.parse(zlib.gunzipSync(Buffer.from(m[1], "base64")).toString("utf8"));
}
const D = block("akb-data"), lazy = block("akb-lazy");
check(D && lazy, "the file has the page data and the lazy data");
if (!D || !lazy) { console.log(`bundle-check: ${passed} passed, ${failed} failed`); process.exit(1); }
// Pages come in chunks ("akb-c<n>"); fragments in "akb-frags". Put each page's parts back in place.
D.frags = block("akb-frags");
const chunkList = [];
for (let c = 0; ; c++) { const b = block(`akb-c${c}`); if (!b) break; chunkList.push(b); }
const nth = new Map();
for (const p of D.pages) {
  const c = p[3], i = nth.get(c) || 0;
  nth.set(c, i + 1);
  p[3] = chunkList[c][i];
}
check(chunkList.flat().length === D.pages.length, `chunks hold every page once (${chunkList.length} chunks)`);

// Pages: one route per page of the site.
const routes = new Map(D.pages.map((p, i) => [p[0], i]));
const sitePages = [];
(function walk(dir, rel) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(path.join(dir, e.name), r);
    // A skill's own files (agents/x/files/...) are carried as files, not pages, even HTML ones.
    else if (e.name.endsWith(".html") && !/^agents\/[^/]+\/files\//.test(r)) sitePages.push(r);
  }
})(site, "");
const routeOf = (p) => (p === "index.html" ? "" : p.endsWith("/index.html") ? p.slice(0, -10) : p);
const missing = sitePages.filter((p) => !routes.has(routeOf(p)));
check(missing.length === 0, `every page of the site is in the bundle (missing: ${missing.slice(0, 5).join(", ")})`);
check(D.pages.length === sitePages.length, `as many pages as the site (${D.pages.length} vs ${sitePages.length})`);
check(D.pages[D.home][0] === "", "the home page is the route ''");

// Links: every #/route names a page or a file, every #/route#id an id on that page.
const join = (parts) => parts.map((y) => (typeof y === "number" ? join(D.frags[y]) : y)).join("");
const pageHTML = (i) => join(D.pages[i][3]);
const ids = new Map();
const idsOf = (i) => {
  if (!ids.has(i)) ids.set(i, new Set([...pageHTML(i).matchAll(/\sid="([^"]*)"/g)].map((m) => unescape(m[1]))));
  return ids.get(i);
};
function unescape(s) {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (m, e) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]);
}
const bad = [];
function checkLinks(text, where) {
  for (const m of text.matchAll(/\shref="(#\/[^"]*)"/g)) {
    const href = unescape(m[1]).slice(2), i = href.indexOf("#");
    const route = decodeURIComponent(i < 0 ? href : href.slice(0, i)), anchor = i < 0 ? "" : href.slice(i + 1);
    if (routes.has(route)) {
      if (anchor && !idsOf(routes.get(route)).has(anchor)) bad.push(`${where}: #${anchor} not on ${route || "home"}`);
    } else if (!(route in D.files)) bad.push(`${where}: ${route}`);
  }
}
D.pages.forEach((p, i) => checkLinks(pageHTML(i), p[0] || "home"));
const shell = html.replace(/<script[^>]*>[^]*?<\/script>/g, "");
checkLinks(shell, "shell");
check(bad.length === 0, `every route link resolves (${bad.slice(0, 5).join("; ")})`);
const linkCount = D.pages.reduce((n, p, i) => n + (pageHTML(i).match(/href="#\//g) || []).length, 0);
check(linkCount > D.pages.length, `pages link to each other by route (${linkCount} links)`);

// Carried files: template references point at a template with that id; others are in the lazy data.
for (const [f, ref] of Object.entries(D.files)) {
  if (Array.isArray(ref)) check(pageHTML(ref[0]).includes(`<template id="${ref[1]}">`), `${f}: held by a template`);
  else check(f in lazy, `${f}: carried in the lazy data`);
}
check(Object.keys(lazy).some((f) => f.startsWith("search/")), "the search index is carried");

// Nothing fetched: the whole file, the pages included.
const everything = shell + D.pages.map((p, i) => pageHTML(i)).join("");
check(!/<script[^>]*\ssrc=/i.test(html), "no <script src>");
const links = [...everything.matchAll(/<link\b[^>]*>/gi)].map((m) => m[0]);
check(links.every((l) => /href="data:/.test(l) || /rel="canonical"/.test(l)), `no <link> that fetches (${links.filter((l) => !/href="data:/.test(l)).join(" ")})`);
const srcs = [...everything.matchAll(/\s(src|srcset|poster)="([^"]*)"/gi)].filter((m) => !m[2].startsWith("data:"));
check(srcs.length === 0, `no src, srcset or poster but data: (${srcs.map((m) => m[0]).slice(0, 3).join(" ")})`);
const styles = [...html.matchAll(/<style>([^]*?)<\/style>/g)].map((m) => m[1]).join("");
check(styles.length > 1000, "the theme's styles are inlined");
check(!/@import|url\((?!\s*["']?data:)/.test(styles), "no @import or url() in the styles");

// Shared fragments: each used twice or more, none stored twice; each agent's card stored once.
const uses = new Array(D.frags.length).fill(0);
for (const parts of D.pages.map((p) => p[3]).concat(D.frags)) for (const x of parts) if (typeof x === "number") uses[x]++;
check(uses.every((n) => n >= 2), `every stored fragment is used more than once (${uses.filter((n) => n < 2).length} are not)`);
const expanded = D.frags.map((f) => join(f));
check(new Set(expanded).size === expanded.length, "no fragment is stored twice");
const stored = D.pages.map((p) => p[3]).concat(D.frags).flat().filter((x) => typeof x === "string").join("\n");
// Each card's summary (as the home page shows it) is stored once, however many term pages list the card.
const home = pageHTML(D.home);
const cards = [...home.matchAll(/<p class="card-summary">([^<]{1,400})</g)].map((m) => m[0]);
// (Agents that share a summary have a card each: as many as the home page shows.)
const counts = cards.map((c) => stored.split(c).length - 1), shownHome = cards.map((c) => home.split(c).length - 1);
check(cards.length > 0 && counts.every((n, i) => n >= 1 && n <= shownHome[i]),
  `each card is stored once (${cards.filter((c, i) => counts[i] > shownHome[i] || !counts[i]).slice(0, 3).join(" | ")})`);
const onPages = cards.map((c) => D.pages.reduce((n, p, i) => n + (pageHTML(i).split(c).length - 1), 0));
check(onPages.some((n) => n > 1), "cards are shown on several pages (home and term pages)");

// The inline scripts parse.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "akb-bundle-check-"));
const scripts = [...html.matchAll(/<script(?![^>]*application\/x-akb-data)[^>]*>([^]*?)<\/script>/g)].map((m) => m[1]);
check(scripts.length >= 3, `the runtime and the theme's scripts are inlined (${scripts.length})`);
scripts.forEach((s, i) => {
  const f = path.join(tmp, `s${i}.js`);
  fs.writeFileSync(f, s);
  let ok = true;
  try { execFileSync(process.execPath, ["--check", f], { stdio: "pipe" }); } catch (e) { ok = false; console.error(String(e.stderr)); }
  check(ok, `inline script ${i} parses`);
});
fs.rmSync(tmp, { recursive: true, force: true });

console.log(`bundle-check: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
