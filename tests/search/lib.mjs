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

// A fresh AgentkbSearch, as the browser would get it (no document: engine only).
export function loadSearch() {
  const ctx = vm.createContext({});
  vm.runInContext(fs.readFileSync(SEARCH_JS, "utf8"), ctx, { filename: SEARCH_JS });
  return ctx.AgentkbSearch;
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
// Returns {files: Map("base"|"t3"|"d0" -> script text), data: {...decoded form for assertions}}.
export function encode(docs, { shardTerms = 8, chunk = 16 } = {}) {
  const N = docs.length, F = FIELDS.length;
  const norms = new Uint8Array(N * F), total = new Array(F).fill(0);
  const index = new Map(); // term -> [{doc, tf: [F]}]
  docs.forEach((d, id) => {
    const meta = d.meta ?? [d.department, d.category, d.model, ...(d.tools || [])].filter(Boolean).join(" ");
    FIELDS.forEach((f, fi) => {
      const toks = S.tokenize(fi === 2 ? meta : d[f] || "");
      norms[id * F + fi] = Math.min(255, Math.round(8 * Math.log2(1 + toks.length)));
      total[fi] += toks.length;
      for (const t of toks) {
        let list = index.get(t);
        if (!list) index.set(t, (list = []));
        let last = list[list.length - 1];
        if (!last || last.doc !== id) list.push((last = { doc: id, tf: new Array(F).fill(0) }));
        last.tf[fi]++;
      }
    });
  });
  const terms = [...index.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const files = new Map(), shards = [];
  for (let k = 0; k * shardTerms < terms.length || k === 0; k++) {
    const mine = terms.slice(k * shardTerms, (k + 1) * shardTerms);
    shards.push(k === 0 ? "" : mine[0]);
    const post = [], size = [];
    for (const t of mine) {
      const bytes = [], list = index.get(t);
      varint(bytes, list.length);
      let prev = 0;
      for (const e of list) {
        varint(bytes, e.doc - prev);
        prev = e.doc;
        let mask = 0;
        e.tf.forEach((n, fi) => { if (n) mask |= 1 << fi; });
        varint(bytes, mask);
        e.tf.forEach((n) => { if (n) varint(bytes, n); });
      }
      post.push(...bytes);
      size.push(bytes.length);
    }
    files.set("t" + k, script("t", k, { terms: mine.join("\n"), post: b64(post), size: b64(encodeVarints(size)) }));
  }
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
  const ctx = { __akbSearchLoad: (k, i, data) => { got = { k, i, data }; } };
  ctx.window = ctx;
  vm.runInNewContext(text, ctx, { filename });
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
