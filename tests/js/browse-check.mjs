// Checks a built site's home page as a collection with no `department` needs
// it: grouped (by collection unless departments exist), every group of more
// than CAP cards shows CAP and links to a page listing all of its agents
// (in pages joined by their next links),
// every agent is on the home page or behind such a link, and the navigation
// shows only taxonomies that have a page with agents (and the graph, when drawn).
// usage: node tests/js/browse-check.mjs SITE LABEL [CAP]
import fs from "node:fs";
import path from "node:path";

const [site, label, capArg] = process.argv.slice(2);
const CAP = Number(capArg || 24);
let passed = 0, failed = 0;
const check = (cond, msg) => { if (cond) passed++; else { failed++; console.error(`FAIL: ${label}: ${msg}`); } };
const home = fs.readFileSync(path.join(site, "index.html"), "utf8");
const agents = JSON.parse(fs.readFileSync(path.join(site, "agents.json"), "utf8"));
const cardsIn = (html) => [...html.matchAll(/<article class="card"[^]*?<a href="(?:\.\.\/)*(agents\/[^"]+)"/g)].map((m) => m[1]);

const groups = [...home.matchAll(/<section class="group" id="group-([^"]*)">([^]*?)(?=<section class="group"|<\/main>)/g)];
check(groups.length > 1, `grouped (${groups.length} groups)`);
const reached = new Set();
for (const [, id, html] of groups) {
  for (const cat of html.split(/<section class="category">/).slice(1)) {
    const cards = cardsIn(cat);
    cards.forEach((u) => reached.add(u));
    check(cards.length <= CAP, `group ${id}: ${cards.length} cards, more than ${CAP}`);
    const more = /<p class="more"><a href="([^"]+)">[^<]*?(\d+)?[^<]*<\/a>/.exec(cat);
    const count = Number((/<span class="count">(\d+)<\/span><\/h[23]>/.exec(cat) || /<span class="count">(\d+)<\/span>/.exec(html) || [])[1]);
    if (cards.length === CAP && more) {
      // The term page lists them, in pages of `paginate` cards joined by the pager's next links.
      let rel = more[1], all = [];
      for (const seen = new Set(); rel && !seen.has(rel); ) {
        seen.add(rel);
        const page = fs.readFileSync(path.join(site, rel), "utf8");
        all.push(...cardsIn(page));
        const next = /<a class="pager-step" rel="next" href="([^"]+)"/.exec(page);
        rel = next && path.normalize(path.join(path.dirname(rel), next[1]));
      }
      check(all.length >= cards.length && cards.every((u) => all.includes(u)), `group ${id}: '${more[1]}' lists its agents`);
      all.forEach((u) => reached.add(u));
    } else {
      check(!more || cards.length === CAP, `group ${id}: a more link on a group that is not full`);
    }
    if (count) check(cards.length === Math.min(count, CAP), `group ${id}: shows ${cards.length} of ${count}`);
  }
}
check(agents.every((a) => reached.has(a.url)), `every agent reached from the home page (${agents.filter((a) => !reached.has(a.url)).length} not)`);
check(!/<strong>0<\/strong>/.test(home), "no zero count in the stats line");
const nav = [...home.matchAll(/<nav class="site-nav"[^]*?<\/nav>/g)][0][0];
for (const [, href, title] of nav.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)) {
  if (href === "index.html") continue;
  const page = fs.readFileSync(path.join(site, href), "utf8");
  if (href === "graph/index.html") check(/<svg class="graph"[^]*<circle/.test(page), "nav 'Graph' leads to a drawn graph");
  else check(/<ul class="terms">/.test(page), `nav '${title}' leads to a taxonomy with terms`);
}
console.log(`browse ${label}: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
