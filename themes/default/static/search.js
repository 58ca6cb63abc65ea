/* agentkb default theme: instant full-text and faceted search.
 * The index is built at build time (format: include/agentkb/search.h) as
 * classic scripts under search/, loaded on demand with <script> tags, so it
 * works from file:// and under any subpath. Engine first (pure, testable in
 * node as AgentkbSearch.createEngine), then the page UI (browser only). */
(function (G) {
  "use strict";

  /* ---- Tokenizer: a mirror of src/utf8.c and akb_tokenize. ---- */
  function lower(c) {
    if (c < 0x80) return c >= 65 && c <= 90 ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c !== 0xD7) return c + 32;
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return c | 1;
    if (c >= 0x139 && c <= 0x148) return c & 1 ? c + 1 : c;
    if (c >= 0x391 && c <= 0x3AB && c !== 0x3A2) return c + 32;
    if (c >= 0x410 && c <= 0x42F) return c + 32;
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    if (c >= 0xFF21 && c <= 0xFF3A) return c + 32;
    return c;
  }
  function isCJK(c) {
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
      (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F) ||
      (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9D) ||
      (c >= 0x20000 && c <= 0x3134F);
  }
  function isWord(c) {
    if (c < 0x80) return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
    if (c < 0xC0) return c === 0xAA || c === 0xB5 || c === 0xBA;
    if (c === 0xD7 || c === 0xF7) return false;
    return !((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFE00 && c <= 0xFE0F) ||
      (c >= 0xFE30 && c <= 0xFE6F) || (c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
      (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) || (c >= 0xE000 && c <= 0xF8FF) ||
      (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0xE0000 && c <= 0xE007F) ||
      (c >= 0xD800 && c <= 0xDFFF) || /* lone surrogates: U+FFFD in UTF-8 */
      c === 0xFFFD || c === 0xFEFF || c === 0xA0);
  }
  /* Tokens with their UTF-16 span in `text`: [{t, s, e}]. */
  function spans(text) {
    var out = [], run = [], cjk = false, i = 0, n = text.length;
    function flush() {
      var m = run.length, k;
      if (!m) return;
      if (cjk && m > 1) {
        for (k = 0; k + 1 < m; k++) out.push({ t: run[k].c + run[k + 1].c, s: run[k].s, e: run[k + 1].e });
      } else {
        var t = "";
        for (k = 0; k < m && k < 32; k++) t += run[k].c;
        out.push({ t: t, s: run[0].s, e: run[m - 1].e });
      }
      run = [];
    }
    while (i < n) {
      var c = text.codePointAt(i), s = i;
      i += c > 0xFFFF ? 2 : 1;
      if (!isWord(c)) { flush(); continue; }
      var k = isCJK(c);
      if (run.length && k !== cjk) flush();
      cjk = k;
      run.push({ c: String.fromCodePoint(lower(c)), s: s, e: i });
    }
    flush();
    return out;
  }
  function tokenize(text) { return spans(text).map(function (x) { return x.t; }); }

  /* ---- Base64 and LEB128 varints. ---- */
  var B64 = new Uint8Array(128);
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".split("").forEach(function (ch, i) {
    B64[ch.charCodeAt(0)] = i;
  });
  function b64size(s) { return s.length / 4 * 3 - (s.slice(-2) === "==" ? 2 : s.slice(-1) === "=" ? 1 : 0); }
  /* Bytes [from, to) of the data that `s` encodes, decoding only those. */
  function b64(s, from, to) {
    from = from || 0;
    if (to == null) to = b64size(s);
    var out = new Uint8Array(Math.max(0, to - from)), g = Math.floor(from / 3), o = 0, skip = from - g * 3;
    for (var p = g * 4; o < out.length; p += 4) {
      var v = B64[s.charCodeAt(p)] << 18 | B64[s.charCodeAt(p + 1)] << 12 | B64[s.charCodeAt(p + 2)] << 6 |
        B64[s.charCodeAt(p + 3)];
      for (var k = skip; k < 3 && o < out.length; k++) out[o++] = v >> (16 - 8 * k) & 255;
      skip = 0;
    }
    return out;
  }
  function varints(bytes) {
    var out = [], v = 0, m = 1;
    for (var i = 0; i < bytes.length; i++) {
      var b = bytes[i];
      v += (b & 127) * m;
      if (b & 128) m *= 128; else { out.push(v); v = 0; m = 1; }
    }
    return out;
  }

  /* Is b within one edit (insert, delete, substitute, swap neighbours) of a? */
  function near(a, b) {
    var la = a.length, lb = b.length, i = 0;
    if (Math.abs(la - lb) > 1) return false;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      return i === la || a.slice(i + 1) === b.slice(i + 1) ||
        (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }
  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  /* First index whose element is >= t (UTF-16 order). */
  function lowerBound(arr, t) {
    var lo = 0, hi = arr.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] < t) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function latinWord(t) { return t.length >= 5 && /^[a-z\u00df-\u00f6\u00f8-\u024f]+$/.test(t); }

  var K1 = 1.2, B = 0.75, W_EXACT = 1, W_PREFIX = 0.7, W_TYPO = 0.4;
  var MAX_PREFIX = 50, MAX_TYPO = 20, MAX_RANGE = 8, CACHE = 32;

  /* The engine. load(kind, id) -> Promise of a file's data ("base", 0 / "t", k / "d", c). */
  function createEngine(opt) {
    var files = new Map(), shards = new Map(), posts = new Map(), texts = new Map();
    var base = null, N = 0, F = 0, weight = null, facets = null;

    function get(kind, id) {
      var key = kind + id;
      if (!files.has(key)) {
        var p = Promise.resolve().then(function () { return opt.load(kind, id); });
        p.catch(function () { files.delete(key); });
        files.set(key, p);
      }
      return files.get(key);
    }
    function ready() {
      return get("base", 0).then(function (b) {
        if (!base) { base = b; N = b.n; F = b.fields.length; }
        return base;
      });
    }
    /* Per doc and field: boost / (1 - b + b * len / avg), from the quantized norms. */
    function weights() {
      if (weight) return weight;
      var q = b64(base.norms), w = new Float32Array(N * F), len = new Float64Array(256);
      for (var v = 0; v < 256; v++) len[v] = Math.pow(2, v / 8) - 1;
      for (var d = 0, j = 0; d < N; d++) {
        for (var f = 0; f < F; f++, j++) {
          var avg = base.avg[f] || 1;
          w[j] = base.boost[f] / (1 - B + B * len[q[j]] / avg);
        }
      }
      return (weight = w);
    }
    function shardOf(t) { return Math.max(0, lowerBound(base.shards, t + "\0") - 1); }
    function range(p) {
      var a = shardOf(p), z = Math.min(shardOf(p + "\uffff"), a + MAX_RANGE - 1), out = [];
      for (var k = a; k <= z; k++) out.push(k);
      return out;
    }
    function shard(k) {
      if (shards.has(k)) return Promise.resolve(shards.get(k));
      return get("t", k).then(function (d) {
        if (!shards.has(k)) {
          var terms = d.terms ? d.terms.split("\n") : [], size = varints(b64(d.size));
          var off = new Uint32Array(terms.length + 1);
          for (var i = 0; i < terms.length; i++) off[i + 1] = off[i] + size[i];
          shards.set(k, { terms: terms, off: off, post: d.post });
        }
        return shards.get(k);
      });
    }
    /* Postings of one term, decoded on first use: doc ids and BM25F scores. */
    function postings(sh, i) {
      var term = sh.terms[i], hit = posts.get(term);
      if (hit) return hit;
      var by = b64(sh.post, sh.off[i], sh.off[i + 1]), p = 0, w = weights();
      function next() { var v = 0, m = 1, b; do { b = by[p++]; v += (b & 127) * m; m *= 128; } while (b & 128); return v; }
      var df = next(), docs = new Uint32Array(df), sc = new Float32Array(df), d = 0;
      var idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
      for (var j = 0; j < df; j++) {
        d += next();
        var mask = next(), tf = 0;
        for (var f = 0; mask; f++, mask >>>= 1) if (mask & 1) tf += next() * w[d * F + f];
        docs[j] = d;
        sc[j] = idf * tf * (K1 + 1) / (K1 + tf);
      }
      hit = { df: df, docs: docs, scores: sc };
      posts.set(term, hit);
      return hit;
    }
    function parse(q) {
      var seen = {}, out = [], toks = tokenize(q), last = toks.length - 1;
      var open = last >= 0 && !/\s$/.test(q);
      toks.forEach(function (t, i) {
        var c = { t: t, prefix: open && i === last, typo: latinWord(t) };
        var key = t + (c.prefix ? "*" : "");
        if (seen[key] || out.length >= 12) return;
        seen[key] = 1;
        out.push(c);
      });
      return out;
    }
    function need(c) {
      var ks = [shardOf(c.t)];
      if (c.prefix) ks = ks.concat(range(c.t));
      if (c.typo) ks = ks.concat(range(Array.from(c.t).slice(0, 2).join("")));
      return ks;
    }
    /* Index terms a query word matches: [{sh, i, term, w}], best kind per term. */
    function candidates(c) {
      var found = new Map();
      function add(sh, i, w) {
        var t = sh.terms[i], old = found.get(t);
        if (!old || old.w < w) found.set(t, { sh: sh, i: i, term: t, w: w, size: sh.off[i + 1] - sh.off[i] });
      }
      function scan(p, fn) {
        range(p).forEach(function (k, n) {
          var sh = shards.get(k);
          for (var i = n ? 0 : lowerBound(sh.terms, p); i < sh.terms.length; i++) {
            var t = sh.terms[i];
            if (t.lastIndexOf(p, 0) !== 0) { if (t > p) break; continue; }
            fn(sh, i, t);
          }
        });
      }
      var sh = shards.get(shardOf(c.t)), i = lowerBound(sh.terms, c.t);
      if (sh.terms[i] === c.t) add(sh, i, W_EXACT);
      function top(list, max) {
        return list.sort(function (a, b) { return b.size - a.size; }).slice(0, max).forEach(function (x) {
          add(x.sh, x.i, x.w);
        });
      }
      var more = [];
      if (c.prefix) {
        scan(c.t, function (s, j, t) { if (t !== c.t) more.push({ sh: s, i: j, w: W_PREFIX, size: s.off[j + 1] - s.off[j] }); });
        top(more, MAX_PREFIX);
      }
      if (c.typo) {
        more = [];
        scan(Array.from(c.t).slice(0, 2).join(""), function (s, j, t) {
          if (t !== c.t && !found.has(t) && near(c.t, t)) more.push({ sh: s, i: j, w: W_TYPO, size: s.off[j + 1] - s.off[j] });
        });
        top(more, MAX_TYPO);
      }
      return Array.from(found.values());
    }
    /* Ranked doc ids for the words: AND, or OR (by words matched) when AND finds nothing. */
    function text(cl) {
      var key = JSON.stringify(cl), hit = texts.get(key);
      if (hit) return hit;
      var acc = new Float64Array(N), cnt = new Uint8Array(N), cs = new Float32Array(N), touched = [], terms = [];
      cl.forEach(function (c) {
        var mine = [];
        candidates(c).forEach(function (cd) {
          var p = postings(cd.sh, cd.i);
          terms.push(cd.term);
          for (var j = 0; j < p.df; j++) {
            var d = p.docs[j], s = p.scores[j] * cd.w;
            if (!cs[d]) mine.push(d);
            if (s > cs[d]) cs[d] = s;
          }
        });
        mine.forEach(function (d) {
          if (!cnt[d]) touched.push(d);
          cnt[d]++;
          acc[d] += cs[d];
          cs[d] = 0;
        });
      });
      var ids = touched.filter(function (d) { return cnt[d] === cl.length; }), mode = "and";
      if (!ids.length && cl.length > 1) { ids = touched; mode = "or"; }
      ids.sort(function (a, b) { return cnt[b] - cnt[a] || acc[b] - acc[a] || a - b; });
      hit = { ids: ids, mode: mode, terms: terms, score: Float64Array.from(ids, function (d) { return acc[d]; }) };
      texts.set(key, hit);
      if (texts.size > CACHE) texts.delete(texts.keys().next().value);
      return hit;
    }
    function facetData() {
      if (facets) return facets;
      facets = base.facets.map(function (f) {
        var v = varints(b64(f.docs)), off = new Uint32Array(N + 1), vals = [], p = 0;
        for (var d = 0; d < N; d++) {
          var c = v[p++] || 0;
          for (var k = 0; k < c; k++) vals.push(v[p++]);
          off[d + 1] = vals.length;
        }
        return { key: f.key, title: f.title, values: f.values, off: off, vals: Uint32Array.from(vals) };
      });
      return facets;
    }
    /* Filters (AND across facets, OR within) and counts; a facet's counts ignore its own filter. */
    function filter(ids, filters) {
      var fs = facetData(), sel = fs.map(function (f) {
        var want = (filters && filters[f.key]) || [], s = new Uint8Array(f.values.length), any = false;
        want.forEach(function (v) { var i = f.values.indexOf(v); if (i >= 0) { s[i] = 1; any = true; } });
        return any ? s : null;
      });
      var counts = fs.map(function (f) { return new Uint32Array(f.values.length); }), out = [];
      function has(fi, d) {
        var f = fs[fi];
        for (var j = f.off[d]; j < f.off[d + 1]; j++) if (sel[fi][f.vals[j]]) return true;
        return false;
      }
      function count(fi, d) { var f = fs[fi]; for (var j = f.off[d]; j < f.off[d + 1]; j++) counts[fi][f.vals[j]]++; }
      ids.forEach(function (d) {
        var miss = -1, n = 0;
        for (var fi = 0; fi < fs.length && n < 2; fi++) if (sel[fi] && !has(fi, d)) { miss = fi; n++; }
        if (n === 0) { out.push(d); for (fi = 0; fi < fs.length; fi++) count(fi, d); } else if (n === 1) count(miss, d);
      });
      return {
        ids: out,
        facets: fs.map(function (f, fi) {
          return { key: f.key, title: f.title, values: f.values.map(function (v, i) {
            return { value: v, count: counts[fi][i], selected: !!(sel[fi] && sel[fi][i]) };
          }) };
        }),
      };
    }
    /* search(query, {filters: {key: [value, ...]}}) -> Promise of {query, words, mode: "all"|"and"|"or",
     * total, ids (ranked, filtered), scores (aligned with ids; null for "all"), facets, terms, prefixes} */
    function search(q, o) {
      o = o || {};
      return ready().then(function () {
        var cl = parse(q || ""), ks = new Set();
        cl.forEach(function (c) { need(c).forEach(function (k) { ks.add(k); }); });
        return Promise.all(Array.from(ks).map(shard)).then(function () {
          var t = cl.length ? text(cl) : { ids: Array.from({ length: N }, function (_, i) { return i; }), mode: "all", terms: [] };
          var r = filter(t.ids, o.filters), sc = null;
          if (t.score) {
            var at = new Float64Array(N);
            t.ids.forEach(function (d, i) { at[d] = t.score[i]; });
            sc = Float64Array.from(r.ids, function (d) { return at[d]; });
          }
          return {
            query: q, words: cl, mode: t.mode, total: r.ids.length, ids: r.ids, scores: sc, facets: r.facets,
            terms: t.terms,
            prefixes: cl.filter(function (c) { return c.prefix; }).map(function (c) { return c.t; }),
          };
        });
      });
    }
    /* Display data of docs: [{id, name, url, department, category, model, text}], loading their chunks. */
    function docs(ids) {
      return ready().then(function () {
        var cs = new Set(ids.map(function (d) { return Math.floor(d / base.chunk); }));
        return Promise.all(Array.from(cs).map(function (c) { return get("d", c); })).then(function () {
          return Promise.all(ids.map(function (d) {
            return get("d", Math.floor(d / base.chunk)).then(function (rows) {
              var r = rows[d % base.chunk];
              return { id: d, name: r[0], url: r[1], department: r[2], category: r[3], model: r[4], text: r[5] };
            });
          }));
        });
      });
    }
    return { ready: ready, search: search, docs: docs, parse: parse };
  }

  /* ---- Marking matches. ---- */
  function esc(s) {
    return s.replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }
  /* Merged [start, end) ranges of the tokens of `text` that the result matched. */
  function matches(text, res) {
    var set = new Set(res.terms), pre = res.prefixes || [], out = [];
    spans(text).forEach(function (x) {
      if (!set.has(x.t) && !pre.some(function (p) { return x.t.lastIndexOf(p, 0) === 0; })) return;
      var last = out[out.length - 1];
      if (last && x.s <= last[1]) last[1] = Math.max(last[1], x.e); else out.push([x.s, x.e]);
    });
    return out;
  }
  /* HTML of `text` with matched words in <mark>; with `max`, a window of about max chars around the first match. */
  function highlight(text, res, max) {
    text = text || "";
    var ms = matches(text, res), from = 0, to = text.length, html = "";
    if (max && to > max) {
      if (ms.length && ms[0][0] > max / 3) {
        from = Math.max(0, ms[0][0] - Math.floor(max / 5));
        var sp = text.lastIndexOf(" ", from);
        if (sp > from - 20) from = sp + 1;
      }
      to = Math.min(text.length, from + max);
    }
    var p = from;
    ms.forEach(function (m) {
      var s = Math.max(m[0], p), e = Math.min(m[1], to);
      if (s >= e) return;
      html += esc(text.slice(p, s)) + "<mark>" + esc(text.slice(s, e)) + "</mark>";
      p = e;
    });
    html += esc(text.slice(p, to));
    return (from > 0 ? "…" : "") + html + (to < text.length ? "…" : "");
  }

  var API = {
    createEngine: createEngine, tokenize: tokenize, spans: spans, lower: lower, isCJK: isCJK, isWord: isWord,
    b64: b64, varints: varints, near: near, highlight: highlight, version: 1,
  };
  G.AgentkbSearch = API;
  if (typeof document === "undefined" || !document.querySelector) return;

  /* ---- The page. ---- */
  var me = document.currentScript || document.querySelector("script[data-root][src*='search.js']");
  var form = document.querySelector(".akb-search");
  if (!form) return;
  var ROOT = (me && me.getAttribute("data-root")) || form.getAttribute("data-root") || "";
  var pending = {};
  G.__akbSearchLoad = function (kind, id, data) {
    var p = pending[kind + id];
    if (p) { delete pending[kind + id]; p(data); }
  };
  var engine = createEngine({
    load: function (kind, id) {
      return new Promise(function (ok, fail) {
        var s = document.createElement("script");
        s.src = ROOT + "search/" + (kind === "base" ? "base" : kind + id) + ".js";
        pending[kind + id] = ok;
        s.onerror = function () { fail(new Error("cannot load " + s.src)); };
        s.onload = function () { if (pending[kind + id]) fail(new Error("no data in " + s.src)); };
        document.head.appendChild(s);
      });
    },
  });

  var input = form.querySelector("input"), live = form.querySelector("[role=status]");
  var btn = form.querySelector(".akb-search-filters");
  var main = document.querySelector("main") || document.body;
  function el(tag, cls, html) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (html) e.innerHTML = html;
    return e;
  }
  if (!live) { live = el("div", "akb-sr"); live.setAttribute("role", "status"); form.appendChild(live); }
  var panel = el("section", "akb-search-panel"), head = el("div", "akb-search-head"), count = el("p", "akb-search-count");
  var clear = el("button", "button akb-search-clear", "Clear search"), facetBox = el("div", "akb-facets");
  var list = el("ul", "akb-results"), more = el("button", "button akb-more"), col = el("div", "akb-search-main");
  var body = el("div", "akb-search-body");
  panel.id = "akb-search-panel";
  panel.hidden = more.hidden = true;
  panel.setAttribute("aria-label", "Search");
  facetBox.setAttribute("aria-label", "Filters");
  facetBox.setAttribute("role", "group");
  list.id = "akb-search-results";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Search results");
  clear.type = more.type = "button";
  head.appendChild(count); head.appendChild(clear);
  col.appendChild(head); col.appendChild(list); col.appendChild(more);
  body.appendChild(facetBox); body.appendChild(col);
  panel.appendChild(body);
  main.insertBefore(panel, main.firstChild);
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  form.hidden = false;

  var state = { q: "", filters: {}, browse: false, limit: 20 }, keys = [], seq = 0, active = -1, boxes = {}, speak;

  function anyFilter() { return keys.some(function (k) { return (state.filters[k] || []).length; }); }
  function isOpen() { return !!(state.q.trim() || anyFilter() || state.browse); }
  function saveURL() {
    var p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    keys.forEach(function (k) { (state.filters[k] || []).forEach(function (v) { p.append(k, v); }); });
    var s = p.toString();
    try { history.replaceState(history.state, "", (s ? "?" + s : location.pathname) + location.hash); } catch (e) { /* ignore */ }
  }
  function setActive(i) {
    var opts = list.children;
    if (opts[active]) opts[active].setAttribute("aria-selected", "false");
    active = i;
    if (opts[i]) {
      opts[i].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", opts[i].id);
      opts[i].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  }
  function renderFacets(fs) {
    fs.forEach(function (f) {
      var box = boxes[f.key];
      if (!box) {
        var set = el("fieldset", "akb-facet"), ul = el("ul");
        set.appendChild(el("legend", null, esc(f.title)));
        set.appendChild(ul);
        facetBox.appendChild(set);
        box = boxes[f.key] = { set: set, items: f.values.map(function (v) {
          var li = el("li"), label = el("label"), cb = el("input"), n = el("span", "count");
          cb.type = "checkbox";
          cb.value = v.value;
          cb.setAttribute("data-facet", f.key);
          label.appendChild(cb);
          label.appendChild(el("span", "akb-facet-name", esc(v.value)));
          label.appendChild(n);
          li.appendChild(label);
          ul.appendChild(li);
          return { li: li, cb: cb, n: n };
        }) };
      }
      var vis = 0;
      f.values.forEach(function (v, i) {
        var it = box.items[i];
        it.cb.checked = v.selected;
        it.n.textContent = v.count;
        it.li.hidden = !v.count && !v.selected;
        if (!it.li.hidden) vis++;
      });
      box.set.hidden = !vis;
    });
  }
  function render(res, rows) {
    var q = res.query.trim(), n = res.total, what = n === 1 ? "1 agent" : n + " agents";
    var msg = !q ? what : !n ? "No agents match “" + q + "”" :
      what + (res.mode === "or" ? " matching some of the words" : "") + " for “" + q + "”";
    count.textContent = msg;
    list.innerHTML = "";
    rows.forEach(function (r, i) {
      var li = el("li", "akb-result"), a = el("a");
      li.id = "akb-result-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      a.href = ROOT + r.url;
      a.tabIndex = -1;
      var meta = [r.department, r.category].filter(Boolean).map(esc).join(" › ");
      if (r.model) meta += (meta ? " · " : "") + '<span class="badge badge-model">' + esc(r.model) + "</span>";
      a.innerHTML = '<span class="akb-result-name">' + highlight(r.name, res) + "</span>" +
        (meta ? '<span class="akb-result-meta">' + meta + "</span>" : "") +
        (r.text ? '<span class="akb-result-text">' + highlight(r.text, res, 180) + "</span>" : "");
      li.appendChild(a);
      list.appendChild(li);
    });
    more.hidden = n <= rows.length;
    more.textContent = "Show more (" + (n - rows.length) + ")";
    active = -1;
    input.removeAttribute("aria-activedescendant");
    renderFacets(res.facets);
    clearTimeout(speak);
    speak = setTimeout(function () { live.textContent = msg; }, 200);
  }
  function open(on) {
    if (on === !panel.hidden) return;
    panel.hidden = !on;
    document.body.classList.toggle("akb-searching", on);
    input.setAttribute("aria-expanded", String(on));
    if (on) window.scrollTo(0, 0);
  }
  function run() {
    var my = ++seq;
    if (!isOpen()) {
      open(false);
      clearTimeout(speak);
      live.textContent = "";
      saveURL();
      return Promise.resolve();
    }
    return engine.search(state.q, { filters: state.filters }).then(function (res) {
      if (my !== seq) return;
      keys = res.facets.map(function (f) { return f.key; });
      saveURL();
      return engine.docs(res.ids.slice(0, state.limit)).then(function (rows) {
        if (my !== seq) return;
        render(res, rows);
        open(true);
      });
    }).catch(function (e) {
      if (my !== seq) return;
      count.textContent = "Search is unavailable (" + e.message + ").";
      open(true);
    });
  }
  function reset() {
    input.value = state.q = "";
    state.filters = {};
    state.browse = false;
    state.limit = 20;
    run();
  }
  function warm() { engine.ready().catch(function () { /* reported by the first search */ }); }
  input.addEventListener("input", function () { state.q = input.value; state.limit = 20; run(); });
  input.addEventListener("focus", warm);
  form.addEventListener("pointerenter", warm);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  input.addEventListener("keydown", function (e) {
    var n = list.children.length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!n || panel.hidden) return;
      e.preventDefault();
      setActive(e.key === "ArrowDown" ? (active + 1) % n : active <= 0 ? n - 1 : active - 1);
    } else if (e.key === "Enter") {
      e.preventDefault();
      var li = list.children[active >= 0 ? active : 0];
      if (li && !panel.hidden) location.href = li.firstChild.href;
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (isOpen()) reset(); else input.blur();
    }
  });
  /* Filters: opens the panel listing every agent; when it is open, goes to the filters. */
  if (btn) btn.addEventListener("click", function () {
    if (panel.hidden) { state.browse = true; run(); return; }
    var cb = facetBox.querySelector("li:not([hidden]) input");
    if (cb) cb.focus();
  });
  clear.addEventListener("click", function () { reset(); input.focus(); });
  facetBox.addEventListener("change", function (e) {
    var cb = e.target, k = cb.getAttribute("data-facet");
    if (!k) return;
    var vs = (state.filters[k] || []).filter(function (v) { return v !== cb.value; });
    if (cb.checked) vs.push(cb.value);
    state.filters[k] = vs;
    state.browse = true;
    state.limit = 20;
    run();
  });
  more.addEventListener("click", function () { state.limit += 20; run(); });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var t = e.target, tag = t && t.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
    e.preventDefault();
    input.focus();
    input.select();
  });
  /* State from the URL: ?q=...&department=...&tools=... (repeated keys: OR within a facet). */
  var params = new URLSearchParams(location.search);
  state.q = input.value = params.get("q") || "";
  if (location.search.length > 1) engine.ready().then(function (b) {
    keys = b.facets.map(function (f) { return f.key; });
    keys.forEach(function (k) { if (params.getAll(k).length) state.filters[k] = params.getAll(k); });
    if (isOpen()) run();
  }, function () { if (state.q) run(); });
})(typeof window !== "undefined" ? window : globalThis);
