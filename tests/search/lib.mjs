// Test helpers for the search engine: search-engine.js (the engine alone, no
// page UI) loaded in node, a test-only
// ENCODER that writes the index format of include/agentkb/search.h from
// in-memory documents, and loaders that run index files (classic scripts
// calling __akbSearchLoad) in a vm, recording which files a query loads.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const TOP = path.resolve(HERE, "../..");
export const ENGINE_JS = path.join(TOP, "themes/default/static/search-engine.js");

// A fresh AgentkbSearch, as the browser would get it from search-engine.js.
// Compiled in this realm so that its arrays compare with ours.
export function loadSearch() {
  const G = {};
  vm.compileFunction(fs.readFileSync(ENGINE_JS, "utf8"), ["window"], { filename: ENGINE_JS })(G);
  return G.AgentkbSearch;
}
const S = loadSearch();
export const AgentkbSearch = S;

export const FIELDS = ["name", "nameprefix", "summary", "meta", "headings", "body", "code", "lang"];
export const BOOST = [8, 0, 4, 3, 2, 1, 0.5, 0.5];
export const BONUS = [6, 4.5, 1.5]; // name, name prefix, summary
const K1 = 1.2, B = 0.75, NAME = 0, PREFIX = 1, SUMMARY = 2, META = 3;
// The impact byte of include/agentkb/search.h: BM25F's term-frequency part plus the name and
// summary bonuses, on a log scale.
export function impact(tf, len, avg) {
  let tfw = 0;
  tf.forEach((n, f) => { if (n && avg[f] > 0) tfw += (n * BOOST[f]) / (1 - B + (B * len[f]) / avg[f]); });
  let s = (tfw * (K1 + 1)) / (K1 + tfw);
  if (tf[NAME]) s += BONUS[0];
  else if (tf[PREFIX]) s += BONUS[1];
  if (tf[SUMMARY]) s += BONUS[2];
  return s > 0 ? Math.min(255, Math.max(0, Math.round(16 * Math.log2(s)) + 192)) : 0;
}
// A name word's prefixes (search.h): from 3 letters and half the word, Latin letters only.
export function namePrefixes(tokens) {
  const out = [];
  for (const t of tokens) {
    if (!/^[a-z]+$/.test(t)) continue;
    for (let n = Math.max(3, Math.ceil(t.length / 2)); n < t.length; n++) out.push(t.slice(0, n));
  }
  return out;
}
export const FACETS = [["department", "Department"], ["category", "Category"], ["model", "Model"], ["tools", "Tools"]];

function varint(out, v) {
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v) b |= 128;
    out.push(b);
  } while (v);
}
export function encodeVarints(list) { const out = []; list.forEach((v) => varint(out, v)); return out; }
// Numbers as fixed-width base-64 digits (facets.js): as many digits as `max` needs, most significant first.
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
export function encodeDigits(list, max) {
  let w = 1;
  for (let cap = 64; cap <= max; cap *= 64) w++;
  return list.map((v) => Array.from({ length: w }, (_, i) => ALPHABET[Math.floor(v / 64 ** (w - 1 - i)) % 64]).join("")).join("");
}
const b64 = (bytes) => Buffer.from(bytes).toString("base64");
const script = (kind, id, data) => `window.__akbSearchLoad(${JSON.stringify(kind)},${id},${JSON.stringify(data)});\n`;

// docs: [{name, summary, meta, headings, body, code, lang, url, department, category, model, tools: [], text}]
// (a field given as an array of strings is taken as its tokens; nameprefix is derived from name)
// Returns {files: Map("base"|"facets"|"t3"|"d0" -> script text), base, terms}.
// Shards hold shardTerms terms, or with shardBytes, about that many bytes of terms and postings
// (a term of soloBytes or more alone, as the C writer does: 12,000 and 4,096 bytes).
// syn: the synonym groups of base.js (default none).
export function encode(docs, { shardTerms = 8, shardBytes = 0, soloBytes = shardBytes, chunk = 16, syn = [] } = {}) {
  const N = docs.length, F = FIELDS.length;
  const lens = docs.map(() => new Array(F).fill(0)), total = new Array(F).fill(0);
  const index = new Map(); // term -> [{id, tf}] in doc order
  const published = new Set(); // terms of some field other than nameprefix
  docs.forEach((d, id) => {
    const meta = d.meta ?? [d.department, d.category, d.model, ...(d.tools || [])].filter(Boolean).join(" ");
    const tfs = new Map(); // term -> tf per field, this document
    const tokens = (v) => (Array.isArray(v) ? v : S.tokenize(v)); // an array is taken as tokens already
    FIELDS.forEach((f, fi) => {
      const v = fi === META ? meta : fi === PREFIX ? namePrefixes(tokens(d.name || "")) : d[f] || "";
      const toks = tokens(v);
      lens[id][fi] = toks.length;
      total[fi] += toks.length;
      for (const t of toks) {
        let tf = tfs.get(t);
        if (!tf) tfs.set(t, (tf = new Array(F).fill(0)));
        tf[fi]++;
        if (fi !== PREFIX) published.add(t);
      }
    });
    for (const [t, tf] of tfs) {
      if (!index.has(t)) index.set(t, []);
      index.get(t).push({ id, tf });
    }
  });
  for (const t of [...index.keys()]) if (!published.has(t)) index.delete(t);
  const avg = total.map((t) => (N ? t / N : 0));
  const terms = [...index.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // Postings grouped by impact, best first, ids ascending in a group (deltas from 0 in each).
  const ranked = (t) => index.get(t).map(({ id, tf }) => ({ id, q: impact(tf, lens[id], avg) }))
    .sort((a, b) => b.q - a.q || a.id - b.id);
  const postings = terms.map((t) => {
    const list = ranked(t), out = [];
    varint(out, list.length);
    let prev = 0;
    list.forEach(({ id, q }, k) => {
      if (k === 0 || q !== list[k - 1].q) {
        out.push(q);
        varint(out, list.filter((x) => x.q === q).length);
        prev = 0;
      }
      varint(out, id - prev);
      prev = id;
    });
    return out;
  });
  const groups = [[]];
  let bytes = 0, bigPrev = false;
  terms.forEach((t, i) => {
    const cur = groups[groups.length - 1], size = t.length + 1 + postings[i].length;
    const big = shardBytes > 0 && size >= soloBytes;
    if (cur.length && (shardBytes ? bytes >= shardBytes || big || bigPrev : cur.length >= shardTerms)) { groups.push([]); bytes = 0; }
    groups[groups.length - 1].push(i);
    bytes += size;
    bigPrev = big;
  });
  const files = new Map(), shards = [];
  const row = (d) => [d.name, d.url ?? `agents/${d.name}/index.html`, d.department || "", d.category || "", d.model || "",
    d.text ?? d.summary ?? "", d.qualifier ?? "", ...(d.install ? [d.install.path, d.install.raw, d.install.dir] : [])];
  groups.forEach((g, k) => {
    shards.push(k === 0 ? "" : terms[g[0]]);
    const post = Buffer.concat(g.map((i) => Buffer.from(postings[i])));
    const data = { terms: g.map((i) => terms[i]).join("\n"), post: b64(post),
      size: b64(encodeVarints(g.map((i) => postings[i].length))) };
    if (g.length === 1) {
      // A solo shard carries the rows of its term's 10 best documents (impact, then id).
      const best = ranked(terms[g[0]]).slice(0, 10);
      data.rows = best.map(({ id }) => [id, ...row(docs[id])]);
    }
    files.set("t" + k, script("t", k, data));
  });
  const facetDocs = [];
  const facets = FACETS.map(([key, title]) => {
    const per = docs.map((d) => [].concat(d[key] ?? []).filter(Boolean));
    const values = [...new Set(per.flat())].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const one = per.every((vs) => vs.length <= 1) ? 1 : 0, list = [];
    per.forEach((vs) => {
      if (one) list.push(vs.length ? values.indexOf(vs[0]) + 1 : 0);
      else list.push(vs.length, ...vs.map((v) => values.indexOf(v)));
    });
    facetDocs.push(encodeDigits(list, values.length));
    return { key, title, values, one };
  });
  const solo = groups.map((g) => (g.length === 1 ? "1" : "0")).join("");
  const base = { v: 3, n: N, fields: FIELDS, boost: BOOST, bonus: BONUS, chunk, shards: shards.join("\n"), solo, syn, facets };
  // base.js may run before the page's loader exists (search.h): then it leaves its data in a global.
  files.set("base", script("base", 0, base).replace(/^window\.__akbSearchLoad/,
    '(typeof __akbSearchLoad=="function"?__akbSearchLoad:function(k,i,d){window.__akbSearchBase=d;})'));
  files.set("facets", script("facets", 0, facetDocs));
  for (let c = 0; c * chunk < N; c++) {
    files.set("d" + c, script("d", c, docs.slice(c * chunk, (c + 1) * chunk).map(row)));
  }
  return { files, base: { ...base, shards }, terms, groups };
}

// Runs one index file's text and returns the data it hands to __akbSearchLoad.
export function runFile(text, filename, kind, id) {
  let got;
  const load = (k, i, data) => { got = { k, i, data }; };
  vm.compileFunction(text, ["window", "__akbSearchLoad"], { filename })({ __akbSearchLoad: load }, load);
  if (!got) throw new Error(`${filename} did not call __akbSearchLoad`);
  if (got.k !== kind || got.i !== id) throw new Error(`${filename} loaded ${got.k} ${got.i}, expected ${kind} ${id}`);
  return got.data;
}
// The file a kind of data lives in: search/t3.js, search/d0.js; search/base.js, search/facets.js.
export const nameOf = (kind, id) => (kind === "t" || kind === "d" ? kind + id : kind);

// An engine over in-memory files; `log` lists file names in load order.
export function memoryEngine(files) {
  const log = [];
  const engine = S.createEngine({
    load: async (kind, id) => {
      const name = nameOf(kind, id);
      log.push(name);
      if (!files.has(name)) throw new Error("no file " + name);
      return runFile(files.get(name), name + ".js", kind, id);
    },
  });
  return { engine, log };
}

// An engine over a built site's search/ directory.
export function siteEngine(dir) {
  const log = [];
  const engine = S.createEngine({
    load: async (kind, id) => {
      const name = nameOf(kind, id);
      log.push(name);
      const file = path.join(dir, "search", name + ".js");
      return runFile(fs.readFileSync(file, "utf8"), file, kind, id);
    },
  });
  return { engine, log };
}

// Display names of the ranked results.
export async function names(engine, q, opts) {
  const r = await engine.search(q, opts);
  const rows = await engine.docs(r.ids);
  return rows.map((d) => d.name);
}
