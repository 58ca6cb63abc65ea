// Prints one value read from a JSON file, so that shell suites never write
// JavaScript: `node tests/js/json-get.mjs FILE QUERY`. FILE is JSON, or a
// search index file of a built site (search/base.js, search/d0.js ...), whose
// data (what it hands to __akbSearchLoad) is read.
//
// QUERY is a pipeline of steps, `STEP | STEP | ...`, each applied to the value
// the step before it gave (a small subset of jq's language):
//   .  .key  .key.other  .list[0].key   a path (a missing key gives undefined)
//   length  sum  unique  values  not    of the value (values: an object's)
//   join(SEP)                           a list joined with SEP ("," if none)
//   map(QUERY)                          QUERY on each element of a list
//   select(COND)  find(COND)            the elements for which COND holds / the first
//   fmt(TEXT)                           TEXT with each {QUERY} replaced ({path} for {.path})
//   sub(REGEX, TEXT)                    the first match of REGEX in a string replaced
// COND is `QUERY`, true when its value is truthy, or `QUERY OP VALUE` with OP
// one of == != startswith endswith contains matches (VALUE a regex) and VALUE
// a JSON literal. Strings are JSON strings: "a\nb", "^\\d+$".
// The result is printed as console.log would print a string, number, boolean,
// null or undefined; lists and objects as JSON.
import fs from "node:fs";
import vm from "node:vm";

const [file, query] = process.argv.slice(2);
if (!file || query === undefined) {
  console.error("usage: node tests/js/json-get.mjs FILE QUERY");
  process.exit(2);
}

function load(name) {
  const text = fs.readFileSync(name, "utf8");
  if (!/\.js$/.test(name)) return JSON.parse(text);
  let data;
  const loader = (kind, id, d) => { data = d; };
  vm.runInNewContext(text, { __akbSearchLoad: loader, window: {} }, { filename: name });
  if (data === undefined) throw new Error(`${name} did not call __akbSearchLoad`);
  return data;
}

// ---- parsing: a query becomes a list of steps, each a function of a value ----
function parse(src) {
  let pos = 0;
  const fail = (what) => { throw new Error(`query: ${what} at ${pos} in ${JSON.stringify(src)}`); };
  const space = () => { while (/\s/.test(src[pos] || "")) pos++; };
  const peek = (s) => { space(); return src.startsWith(s, pos); };
  const eat = (s) => { if (!peek(s)) fail(`expected '${s}'`); pos += s.length; };

  function literal() {
    space();
    const rest = src.slice(pos);
    const m = /^("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true\b|false\b|null\b)/.exec(rest);
    if (!m) fail("expected a JSON value");
    pos += m[0].length;
    return JSON.parse(m[0]);
  }
  function path() {
    const keys = [];
    eat(".");
    for (;;) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(pos));
      if (m) { keys.push(m[0]); pos += m[0].length; }
      if (src[pos] === "[") {
        pos++;
        const n = /^\d+/.exec(src.slice(pos));
        if (!n) fail("expected an index");
        keys.push(Number(n[0])); pos += n[0].length;
        eat("]");
      }
      if (src[pos] === "." && /[A-Za-z_]/.test(src[pos + 1] || "")) { pos++; continue; }
      if (src[pos] === "[") continue;
      return (v) => keys.reduce((x, k) => (x === undefined || x === null ? undefined : x[k]), v);
    }
  }
  const OPS = {
    "==": (a, b) => a === b,
    "!=": (a, b) => a !== b,
    startswith: (a, b) => typeof a === "string" && a.startsWith(b),
    endswith: (a, b) => typeof a === "string" && a.endsWith(b),
    contains: (a, b) => (typeof a === "string" || Array.isArray(a)) && a.includes(b),
    matches: (a, b) => typeof a === "string" && new RegExp(b).test(a),
  };
  function cond() {
    const q = pipeline([")"]);
    space();
    for (const op of Object.keys(OPS)) {
      if (src.startsWith(op, pos)) {
        pos += op.length;
        const want = literal();
        return (v) => OPS[op](q(v), want);
      }
    }
    return (v) => Boolean(q(v));
  }
  const list = (v, name) => { if (!Array.isArray(v)) throw new Error(`${name} of a ${typeof v}, not a list`); return v; };
  function template(text) { // fmt's {QUERY} parts
    const parts = [];
    let i = 0;
    while (i < text.length) {
      const open = text.indexOf("{", i);
      if (open < 0) { parts.push(text.slice(i)); break; }
      const close = text.indexOf("}", open);
      if (close < 0) fail("unclosed { in fmt");
      parts.push(text.slice(i, open));
      const inner = text.slice(open + 1, close).trim();
      parts.push(parse(inner.startsWith(".") ? inner : "." + inner));
      i = close + 1;
    }
    return (v) => parts.map((p) => (typeof p === "string" ? p : show(p(v)))).join("");
  }
  function step() {
    space();
    if (src[pos] === ".") return path();
    const m = /^[a-z]+/.exec(src.slice(pos));
    if (!m) fail("expected a step");
    pos += m[0].length;
    switch (m[0]) {
      case "length": return (v) => (v === undefined || v === null ? undefined : v.length);
      case "sum": return (v) => list(v, "sum").reduce((a, b) => a + b, 0);
      case "unique": return (v) => [...new Set(list(v, "unique"))];
      case "values": return (v) => Object.values(v);
      case "not": return (v) => !v;
      case "join": {
        let sep = ",";
        if (peek("(")) { eat("("); sep = literal(); eat(")"); }
        return (v) => list(v, "join").join(sep);
      }
      case "map": { eat("("); const q = pipeline([")"]); eat(")"); return (v) => list(v, "map").map(q); }
      case "select": { eat("("); const c = cond(); eat(")"); return (v) => list(v, "select").filter(c); }
      case "find": { eat("("); const c = cond(); eat(")"); return (v) => list(v, "find").find(c); }
      case "fmt": { eat("("); const t = template(literal()); eat(")"); return t; }
      case "sub": {
        eat("("); const re = new RegExp(literal()); eat(","); const to = literal(); eat(")");
        return (v) => (typeof v === "string" ? v.replace(re, to) : v);
      }
      default: return fail(`unknown step '${m[0]}'`);
    }
  }
  // Steps up to the end, or up to one of the stop words (a closing paren, an operator).
  function pipeline(stops = []) {
    const steps = [step()];
    for (;;) {
      space();
      if (pos >= src.length || stops.some((s) => src.startsWith(s, pos))) break;
      if (Object.keys(OPS).some((op) => src.startsWith(op, pos))) break;
      eat("|");
      steps.push(step());
    }
    return (v) => steps.reduce((x, f) => f(x), v);
  }
  const q = pipeline();
  space();
  if (pos < src.length) fail("unexpected text");
  return q;
}

function show(v) {
  if (v === undefined) return "undefined";
  if (v === null || typeof v !== "object") return String(v);
  return JSON.stringify(v);
}

try {
  console.log(show(parse(query)(load(file))));
} catch (e) {
  console.error(`json-get ${file}: ${e.message}`);
  process.exit(1);
}
