// Crawls a built site from index.html the way a person clicking around
// from file:// would: every relative link, stylesheet, script and icon must
// point at an existing file, every #fragment at an existing id, and every
// agent page must be reachable. Prints "links NAME: N passed, N failed".
// usage: node tests/js/check-links.mjs SITE_DIR NAME
import fs from "node:fs";
import path from "node:path";

const [site, name] = process.argv.slice(2);
let passed = 0, failed = 0;
const fail = (msg) => { failed++; if (failed <= 20) console.error("FAIL: " + msg); };

const idsCache = new Map();
function idsOf(file) {
  if (!idsCache.has(file)) {
    const html = fs.readFileSync(file, "utf8");
    idsCache.set(file, new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((m) => decodeEntities(m[1]))));
  }
  return idsCache.get(file);
}
function decodeEntities(s) {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

const seen = new Set();
const queue = [path.join(site, "index.html")];
while (queue.length) {
  const page = queue.pop();
  if (seen.has(page)) continue;
  seen.add(page);
  const html = fs.readFileSync(page, "utf8");
  // Links inside <template> (the raw agent file) and code are text, not links.
  const live = html.replace(/<template[\s\S]*?<\/template>/g, "");
  for (const m of live.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
    const url = decodeEntities(m[1]);
    if (/^[a-z][a-z0-9+.-]*:/i.test(url)) continue; // external (http:, mailto:)
    if (url.startsWith("/")) { fail(`${page}: root-absolute link '${url}' breaks under a subpath and file://`); continue; }
    const [rawPath, frag] = url.split("#");
    const target = rawPath ? path.resolve(path.dirname(page), decodeURIComponent(rawPath)) : page;
    if (!fs.existsSync(target) || fs.statSync(target).isDirectory()) {
      fail(`${page}: broken link '${url}'`);
      continue;
    }
    if (frag !== undefined && frag !== "" && target.endsWith(".html") && !idsOf(target).has(decodeURIComponent(frag))) {
      fail(`${page}: missing anchor '${url}'`);
      continue;
    }
    passed++;
    if (target.endsWith(".html")) queue.push(target);
  }
}
const agents = JSON.parse(fs.readFileSync(path.join(site, "agents.json"), "utf8"));
for (const a of agents) {
  if (seen.has(path.resolve(site, a.url))) passed++;
  else fail(`agent page ${a.url} is not reachable from index.html`);
}
console.log(`# ${name}: ${seen.size} pages crawled`);
console.log(`links ${name}: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
