// Test helpers for the search engine: search.js loaded in node, a test-only
// ENCODER that writes the index format of include/agentkb/search.h from
// in-memory documents, and loaders that run index files (classic scripts
// calling __akbSearchLoad) in a vm, recording which files a query loads.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const TOP = path.resolve(HERE, "../..");
export const SEARCH_JS = path.join(TOP, "themes/default/static/search.js");

// A fresh AgentkbSearch, as the browser would get it (no document: engine
// only). Compiled in this realm so that its arrays compare with ours.
export function loadSearch() {
  const G = {};
  vm.compileFunction(fs.readFileSync(SEARCH_JS, "utf8"), ["window"], { filename: SEARCH_JS })(G);
  return G.AgentkbSearch;
}
const S = loadSearch();
export const AgentkbSearch = S;

export const FIELDS = ["name", "summary", "meta", "headings", "body", "code"];
export const BOOST = [8, 4, 3, 2, 1, 0.5];
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
const b64 = (bytes) => Buffer.from(bytes).toString("base64");
const script = (kind, id, data) => `window.__akbSearchLoad(${JSON.stringify(kind)},${id},${JSON.stringify(data)});\n`;

// docs: [{name, summary, meta, headings, body, code, url, department, category, model, tools: [], text}]
// (a field given as an array of strings is taken as its tokens)
// Returns {files: Map("base"|"t3"|"d0" -> script text), data: {...decoded form for assertions}}.
// Shards hold shardTerms terms, or with shardBytes, about that many bytes of terms and postings.
export function encode(docs, { shardTerms = 8, shardBytes = 0, chunk = 16 } = {}) {
  const N = docs.length, F = FIELDS.length;
  const norms = new Uint8Array(N * F), total = new Array(F).fill(0);
  const index = new Map(); // term -> {df, prev, bytes: postings entries so far}
  docs.forEach((d, id) => {
    const meta = d.meta ?? [d.department, d.category, d.model, ...(d.tools || [])].filter(Boolean).join(" ");
    const tfs = new Map(); // term -> tf per field, this document
    FIELDS.forEach((f, fi) => {
      const v = fi === 2 ? meta : d[f] || "";
      const toks = Array.isArray(v) ? v : S.tokenize(v); // an array is taken as tokens already
      norms[id * F + fi] = Math.min(255, Math.round(8 * Math.log2(1 + toks.length)));
      total[fi] += toks.length;
      for (const t of toks) {
        let tf = tfs.get(t);
        if (!tf) tfs.set(t, (tf = new Array(F).fill(0)));
        tf[fi]++;
      }
    });
    for (const [t, tf] of tfs) {
      let e = index.get(t);
      if (!e) index.set(t, (e = { df: 0, prev: 0, bytes: [] }));
      e.df++;
      varint(e.bytes, id - e.prev);
      e.prev = id;
      let mask = 0;
      tf.forEach((n, fi) => { if (n) mask |= 1 << fi; });
      varint(e.bytes, mask);
      tf.forEach((n) => { if (n) varint(e.bytes, n); });
    }
  });
  const terms = [...index.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const postings = terms.map((t) => {
    const e = index.get(t), head = [];
    varint(head, e.df);
    return head.concat(e.bytes);
  });
  const groups = [[]];
  let bytes = 0;
  terms.forEach((t, i) => {
    const cur = groups[groups.length - 1];
    if (cur.length && (shardBytes ? bytes >= shardBytes : cur.length >= shardTerms)) { groups.push([]); bytes = 0; }
    groups[groups.length - 1].push(i);
    bytes += t.length + 1 + postings[i].length;
  });
  const files = new Map(), shards = [];
  groups.forEach((g, k) => {
    shards.push(k === 0 ? "" : terms[g[0]]);
    const post = Buffer.concat(g.map((i) => Buffer.from(postings[i])));
    files.set("t" + k, script("t", k, { terms: g.map((i) => terms[i]).join("\n"), post: b64(post),
      size: b64(encodeVarints(g.map((i) => postings[i].length))) }));
  });
  const facets = FACETS.map(([key, title]) => {
    const per = docs.map((d) => [].concat(d[key] ?? []).filter(Boolean));
    const values = [...new Set(per.flat())].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const list = [];
    per.forEach((vs) => { list.push(vs.length, ...vs.map((v) => values.indexOf(v))); });
    return { key, title, values, docs: b64(encodeVarints(list)) };
  });
  const base = { v: 1, n: N, fields: FIELDS, boost: BOOST, avg: total.map((t) => (N ? t / N : 0)),
    norms: b64(norms), shards, chunk, facets };
  files.set("base", script("base", 0, base));
  for (let c = 0; c * chunk < N; c++) {
    files.set("d" + c, script("d", c, docs.slice(c * chunk, (c + 1) * chunk).map((d) =>
      [d.name, d.url ?? `agents/${d.name}/index.html`, d.department || "", d.category || "", d.model || "", d.text ?? d.summary ?? ""])));
  }
  return { files, base, terms };
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
const nameOf = (kind, id) => (kind === "base" ? "base" : kind + id);

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
