// The tokenizer the benchmarks give MiniSearch: runs of Han, kana and Hangul
// as overlapping bigrams (as agentkb indexes them), other words whole, so the
// engines compare on the same terms. Self-contained: bench-search.mjs also
// ships its source into the page (String(tokenize)).
export function tokenize(text) {
  const CJK = "\\p{sc=Han}\\p{sc=Hira}\\p{sc=Kana}\\p{sc=Hang}";
  const TOKEN = new RegExp("([" + CJK + "]+)|[[\\p{L}\\p{N}]--[" + CJK + "]]+", "gv");
  const out = [];
  for (const m of String(text).matchAll(TOKEN)) {
    if (m[1] === undefined) { out.push(m[0]); continue; }
    const c = Array.from(m[0]);
    if (c.length === 1) out.push(m[0]); else for (let i = 0; i + 1 < c.length; i++) out.push(c[i] + c[i + 1]);
  }
  return out;
}
