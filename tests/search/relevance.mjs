// The relevance set (tests/search/relevance.json) and its scoring, shared by
// the test (relevance.test.mjs) and the bench (scripts/bench-search-relevance.mjs),
// which runs the same queries through MiniSearch and Pagefind.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SET = JSON.parse(fs.readFileSync(path.join(HERE, "relevance.json"), "utf8"));

const norm = (s) => String(s).trim().toLowerCase();

// Rank (1-based) of the first accepted agent among `names` (ranked result names), or 0.
export function firstHit(query, names) {
  const ok = new Set(query.accept.map(norm));
  const i = names.findIndex((n) => ok.has(norm(n)));
  return i + 1;
}

// search: async (q) => ranked result names (at least the first 10).
// Returns {n, at1, at5, mrr, rows: [{q, lang, kind, rank, top}]}; mrr counts ranks up to 10.
export async function evaluate(search, queries = SET.queries) {
  const rows = [];
  for (const query of queries) {
    const names = (await search(query.q)).slice(0, 10);
    rows.push({ q: query.q, lang: query.lang, kind: query.kind, rank: firstHit(query, names), top: names.slice(0, 5) });
  }
  const n = rows.length, share = (f) => rows.filter(f).length / n;
  return {
    n,
    at1: share((r) => r.rank === 1),
    at5: share((r) => r.rank >= 1 && r.rank <= 5),
    mrr: rows.reduce((s, r) => s + (r.rank ? 1 / r.rank : 0), 0) / n,
    rows,
  };
}

export const pct = (x) => (100 * x).toFixed(1) + "%";
// "success@1 61.3%, success@5 91.4%, MRR 0.712 (93 queries)"
export function summary(e) {
  return `success@1 ${pct(e.at1)}, success@5 ${pct(e.at5)}, MRR ${e.mrr.toFixed(3)} (${e.n} queries)`;
}
