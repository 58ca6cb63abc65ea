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
  var ASCII = new Uint8Array(128), ASCII_CH = [];
  for (var a = 0; a < 128; a++) { ASCII[a] = isWord(a) ? lower(a) : 0; ASCII_CH[a] = String.fromCharCode(ASCII[a]); }
  /* Calls fn(token, start, end) for each token, with its UTF-16 span in `text` (as akb_tokenize). */
  function scan(text, fn) {
    var n = text.length, i = 0, tok = "", cps = 0, ts = 0, te = 0, run = 0, prev = "", ps = 0;
    for (;;) {
      var c = i < n ? text.codePointAt(i) : -1, s = i;
      i += c > 0xFFFF ? 2 : 1;
      var word, cjk = false, ch = "";
      if (c < 128) {
        word = c >= 0 && ASCII[c] > 0;
        if (word) ch = ASCII_CH[c];
      } else {
        c = lower(c);
        word = isWord(c);
        cjk = word && isCJK(c);
        if (word) ch = c < 0x10000 ? String.fromCharCode(c) : String.fromCodePoint(c);
      }
      if (cps && (!word || cjk)) { fn(tok, ts, te); tok = ""; cps = 0; }
      if (run && !cjk) { if (run === 1) fn(prev, ps, s); run = 0; }
      if (c < 0) return;
      if (cjk) {
        if (run) fn(prev + ch, ps, i);
        prev = ch;
        ps = s;
        run++;
      } else if (word) {
        if (!cps) ts = s;
        if (cps++ < 32) tok += ch;
        te = i;
      }
    }
  }
  /* Tokens with their spans: [{t, s, e}]. */
  function spans(text) {
    var out = [];
    scan(text, function (t, s, e) { out.push({ t: t, s: s, e: e }); });
    return out;
  }
  function tokenize(text) {
    var out = [];
    scan(text, function (t) { out.push(t); });
    return out;
  }

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
    var n = Math.max(0, to - from), out = new Uint8Array(n), g = Math.floor(from / 3), o = 0, skip = from - g * 3;
    var p = g * 4, v, k;
    function group() {
      v = B64[s.charCodeAt(p)] << 18 | B64[s.charCodeAt(p + 1)] << 12 | B64[s.charCodeAt(p + 2)] << 6 |
        B64[s.charCodeAt(p + 3)];
      p += 4;
    }
    /* A partial group first, then three bytes at a time (the hot loop of postings), then the tail. */
    if (skip && n) { group(); for (k = skip; k < 3 && o < n; k++) out[o++] = v >> (16 - 8 * k) & 255; }
    for (; o + 3 <= n; o += 3) {
      v = B64[s.charCodeAt(p)] << 18 | B64[s.charCodeAt(p + 1)] << 12 | B64[s.charCodeAt(p + 2)] << 6 |
        B64[s.charCodeAt(p + 3)];
      p += 4;
      out[o] = v >> 16;
      out[o + 1] = v >> 8 & 255;
      out[o + 2] = v & 255;
    }
    if (o < n) { group(); for (k = 0; o < n; k++) out[o++] = v >> (16 - 8 * k) & 255; }
    return out;
  }
  /* Fixed-width numbers in base-64 digits (the base64 alphabet, most significant first): facets.js.
   * width(max) is the fewest digits that hold max; num reads one number at p; digits reads them all. */
  function width(max) {
    var w = 1;
    for (var cap = 64; cap <= max; cap *= 64) w++;
    return w;
  }
  function num(s, p, w) {
    for (var v = 0, i = 0; i < w; i++) v = v * 64 + B64[s.charCodeAt(p + i)];
    return v;
  }
  function digits(s, w) {
    var out = [];
    for (var p = 0; p + w <= s.length; p += w) out.push(num(s, p, w));
    return out;
  }
  function varints(bytes) {
    var out = new Float64Array(bytes.length), n = 0, v = 0, m = 1;
    for (var i = 0; i < bytes.length; i++) {
      var b = bytes[i];
      v += (b & 127) * m;
      if (b & 128) m *= 128; else { out[n++] = v; v = 0; m = 1; }
    }
    return out.subarray(0, n);
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
  /* First index whose element is >= t (UTF-16 order). */
  function lowerBound(arr, t) {
    var lo = 0, hi = arr.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] < t) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function latinWord(t) { return t.length >= 5 && /^[a-z\u00df-\u00f6\u00f8-\u024f]+$/.test(t); }

  var W_EXACT = 1, W_PREFIX = 0.7, W_TYPO = 0.4;
  var MAX_PREFIX = 50, MAX_TYPO = 20, MAX_RANGE = 8, CACHE = 32;
  /* Impact byte q -> s = 2^((q - 192) / 16), the BM25F term-frequency part (search.h). */
  var IMPACT = new Float64Array(256);
  for (var q = 0; q < 256; q++) IMPACT[q] = Math.pow(2, (q - 192) / 16);
  /* Scores are summed as integers, score x 2^20: a first query runs cold (interpreted) code, where every
   * fractional number is an allocation; small integers are not. A word scores below 2^25 (idf < 15 up to
   * a million documents, s < 2.2), so twelve words stay within 31 bits. */
  var SCALE = 1048576;

  /* The engine: createEngine({load}) where load(kind, id) -> Promise of the data a file hands to
   * __akbSearchLoad ("base", 0 / "facets", 0 / "t", k / "d", c). Returns {ready, search, docs, parse};
   * see search() and docs() below. Files are requested once each; postings are decoded per term on
   * first use; facets.js only when counts or filters are asked for. */
  function createEngine(opt) {
    var files = new Map(), shards = new Map(), posts = new Map(), texts = new Map(), known = new Map();
    var base = null, N = 0, dir = null, solo = "", facets = null;

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
        if (!base) { base = b; N = b.n; dir = b.shards.split("\n"); solo = b.solo || ""; }
        return base;
      });
    }
    function shardOf(t) { return Math.max(0, lowerBound(dir, t + "\0") - 1); }
    /* The shards holding the terms that start with p. */
    function range(p) {
      var out = [];
      for (var k = shardOf(p), z = shardOf(p + "\uffff"); k <= z; k++) out.push(k);
      return out;
    }
    /* May shard k hold a term that passes `ok`? A solo shard's one term is in the directory. */
    function may(k, ok) { return solo.charCodeAt(k) !== 49 || ok(dir[k]); }
    function shard(k) {
      if (shards.has(k)) return Promise.resolve(shards.get(k));
      return get("t", k).then(function (d) {
        if (!shards.has(k)) {
          var terms = d.terms ? d.terms.split("\n") : [], size = varints(b64(d.size));
          var off = new Uint32Array(terms.length + 1);
          for (var i = 0; i < terms.length; i++) off[i + 1] = off[i] + size[i];
          shards.set(k, { terms: terms, off: off, post: d.post });
          /* A solo shard's display rows of its term's best documents: no chunk to wait for. */
          (d.rows || []).forEach(function (r) { known.set(r[0], r.slice(1)); });
        }
        return shards.get(k);
      });
    }
    /* Postings of one term, decoded on first use: doc ids, best impact first (search.h), and their
     * groups: docs[gend[g - 1] .. gend[g]) have impact gq[g]. */
    function postings(sh, i) {
      var term = sh.terms[i], hit = posts.get(term);
      if (hit) return hit;
      var by = b64(sh.post, sh.off[i], sh.off[i + 1]), p = 0, v, m, b;
      function next() { v = 0; m = 1; do { b = by[p++]; v += (b & 127) * m; m *= 128; } while (b & 128); return v; }
      var df = next(), docs = new Uint32Array(df), gq = [], gend = [], j = 0, d, e;
      while (j < df && p < by.length) {
        gq.push(by[p++]);
        e = j + next();
        for (d = 0; j < e; j++) {
          b = by[p++];
          if (b < 128) d += b; else { p--; d += next(); }
          docs[j] = d;
        }
        gend.push(j);
      }
      hit = { df: df, docs: docs, gq: gq, gend: gend, idf: Math.log(1 + (N - df + 0.5) / (df + 0.5)) };
      posts.set(term, hit);
      return hit;
    }
    /* Integer score of each impact byte for a term matched with weight w (exact, prefix, typo). */
    function table(p, w) {
      var tab = new Int32Array(256), f = w * p.idf * SCALE;
      for (var q = 0; q < 256; q++) tab[q] = Math.max(1, Math.round(f * IMPACT[q]));
      return tab;
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
    /* Shards a word needs: its own, its prefix range (c.pk), its typo range (c.tk); at most MAX_RANGE
     * each. Solo shards whose one term cannot match are left out: most of a typo range, at 10,000
     * agents, is big terms sharing the first two letters. */
    function need(c) {
      var cp = Array.from(c.t), r = [], p2 = cp.slice(0, 2).join("");
      function typo(t) { return t.lastIndexOf(p2, 0) === 0 && t !== c.t && near(c.t, t); }
      function ok(k) { return may(k, typo); }
      /* Short prefixes match much and are soon typed past: fewer shards (2, 4, then 8). */
      c.pk = c.prefix ? range(c.t).filter(function (k) {
        return may(k, function (t) { return t.lastIndexOf(c.t, 0) === 0; });
      }).slice(0, Math.min(MAX_RANGE, 1 << cp.length)) : [];
      if (c.typo) {
        r = range(p2).filter(ok);
        if (r.length > MAX_RANGE) {
          /* Too wide: edits from the third letter on, and deleting or swapping the third. */
          r = new Set(range(cp.slice(0, 3).join("")).filter(ok).slice(0, MAX_RANGE));
          [cp.slice(0, 2).concat(cp.slice(3)), cp.slice(0, 2).concat(cp[3], cp[2], cp.slice(4))].forEach(function (x) {
            var k = shardOf(x.join(""));
            if (ok(k)) r.add(k);
          });
          r = Array.from(r).sort(function (a, b) { return a - b; });
        }
      }
      c.tk = r;
      var own = shardOf(c.t);
      return (may(own, function (t) { return t === c.t; }) ? [own] : []).concat(c.pk, c.tk);
    }
    /* Index terms a query word matches: [{sh, i, term, w}], best kind per term. */
    function candidates(c) {
      var found = new Map();
      function add(sh, i, w) {
        var t = sh.terms[i], old = found.get(t);
        if (!old || old.w < w) found.set(t, { sh: sh, i: i, term: t, w: w, size: sh.off[i + 1] - sh.off[i] });
      }
      function scan(p, ks, fn) {
        ks.forEach(function (k) {
          var sh = shards.get(k);
          for (var i = lowerBound(sh.terms, p); i < sh.terms.length; i++) {
            var t = sh.terms[i];
            if (t.lastIndexOf(p, 0) !== 0) { if (t > p) break; continue; }
            fn(sh, i, t);
          }
        });
      }
      var sh = shards.get(shardOf(c.t)), i = sh ? lowerBound(sh.terms, c.t) : 0;
      if (sh && sh.terms[i] === c.t) add(sh, i, W_EXACT);
      function top(list, max) {
        return list.sort(function (a, b) { return b.size - a.size; }).slice(0, max).forEach(function (x) {
          add(x.sh, x.i, x.w);
        });
      }
      var more = [];
      if (c.prefix) {
        scan(c.t, c.pk, function (s, j, t) { if (t !== c.t) more.push({ sh: s, i: j, w: W_PREFIX, size: s.off[j + 1] - s.off[j] }); });
        top(more, MAX_PREFIX);
      }
      if (c.typo) {
        more = [];
        scan(Array.from(c.t).slice(0, 2).join(""), c.tk, function (s, j, t) {
          if (t !== c.t && !found.has(t) && near(c.t, t)) more.push({ sh: s, i: j, w: W_TYPO, size: s.off[j + 1] - s.off[j] });
        });
        top(more, MAX_TYPO);
      }
      return Array.from(found.values());
    }
    /* A first query runs cold (interpreted) code, where a loop over 10,000 documents costs about a
     * millisecond: ranking keeps such loops few and leaves sorting to native typed-array code. */

    /* One word of one index term (the usual first query): the postings are in its ranking's order. */
    function single(p, w) {
      var tab = table(p, w), score = new Int32Array(p.df);
      for (var g = 0, j = 0; g < p.gq.length; j = p.gend[g++]) score.fill(tab[p.gq[g]], j, p.gend[g]);
      return { ids: p.docs, score: score };
    }
    /* Sorts n ids by words matched, then score, then id, in integers only: one key a document, 4 bits
     * of count and 26 of score (relative to the best, max), ordered by a stable radix sort (three passes
     * of 10 bits) of the ids in ascending order. Returns the ids and their scores. */
    function rank(ids, n, cnt, acc, max) {
      var sh = 0, i, d, x, at, t, pass;
      ids = ids.slice(0, n).sort();
      while ((max >> sh) >= 67108864) sh++;
      var a = ids, b = new Uint32Array(n), ka = new Int32Array(n), kb = new Int32Array(n), count = new Int32Array(1024);
      /* Ascending key = best first: (2^30 - 1) - (count << 26 | score). */
      for (i = 0; i < n; i++) { d = a[i]; ka[i] = 1073741823 - ((cnt[d] << 26) | (acc[d] >> sh)); }
      for (pass = 0; pass < 30; pass += 10) {
        count.fill(0);
        for (i = 0; i < n; i++) count[(ka[i] >> pass) & 1023]++;
        for (x = 0, at = 0; x < 1024; x++) { t = count[x]; count[x] = at; at += t; }
        for (i = 0; i < n; i++) { x = (ka[i] >> pass) & 1023; at = count[x]++; b[at] = a[i]; kb[at] = ka[i]; }
        t = a; a = b; b = t;
        t = ka; ka = kb; kb = t;
      }
      var score = new Int32Array(n);
      for (i = 0; i < n; i++) score[i] = acc[a[i]];
      return { ids: a, score: score };
    }
    /* Ranked doc ids for the words: AND, or OR (by words matched) when AND finds nothing. */
    function text(cl) {
      var key = JSON.stringify(cl), hit = texts.get(key);
      if (hit) return hit;
      var terms = [], cands = cl.map(function (c) {
        var x = candidates(c);
        x.forEach(function (y) { terms.push(y.term); });
        return x;
      });
      var r, mode = "and";
      if (cl.length === 1 && cands[0].length === 1) r = single(postings(cands[0][0].sh, cands[0][0].i), cands[0][0].w);
      else r = merge(cl, cands);
      if (r.or) mode = "or";
      hit = { ids: Array.from(r.ids), mode: mode, terms: terms, score: r.score };
      texts.set(key, hit);
      if (texts.size > CACHE) texts.delete(texts.keys().next().value);
      return hit;
    }
    /* Several words or index terms: per word a document counts its best term; the words' scores add up. */
    function merge(cl, cands) {
      var acc = new Int32Array(N), cnt = new Uint8Array(N), cs = new Int32Array(N);
      var touched = new Uint32Array(N), mine = new Uint32Array(N), nt = 0, i, j, d, s, c, p, tab, docs, g, e;
      for (var ci = 0; ci < cl.length; ci++) {
        var cc = cands[ci], nm = 0;
        if (cc.length === 1) {
          /* One index term for the word: its scores go straight to the sums. */
          p = postings(cc[0].sh, cc[0].i);
          tab = table(p, cc[0].w);
          docs = p.docs;
          for (g = 0, j = 0; g < p.gq.length; g++) {
            for (s = tab[p.gq[g]], e = p.gend[g]; j < e; j++) {
              d = docs[j];
              if (!cnt[d]) touched[nt++] = d;
              cnt[d]++;
              acc[d] += s;
            }
          }
          continue;
        }
        for (i = 0; i < cc.length; i++) {
          p = postings(cc[i].sh, cc[i].i);
          tab = table(p, cc[i].w);
          docs = p.docs;
          for (g = 0, j = 0; g < p.gq.length; g++) {
            for (s = tab[p.gq[g]], e = p.gend[g]; j < e; j++) {
              d = docs[j];
              c = cs[d];
              if (!c) mine[nm++] = d;
              if (s > c) cs[d] = s;
            }
          }
        }
        for (j = 0; j < nm; j++) {
          d = mine[j];
          if (!cnt[d]) touched[nt++] = d;
          cnt[d]++;
          acc[d] += cs[d];
          cs[d] = 0;
        }
      }
      /* The documents with every word (and the best score among them), else all of them (OR). */
      var all = cl.length, n = 0, max = 0, ids = mine;
      for (j = 0; j < nt; j++) {
        d = touched[j];
        if (cnt[d] === all) { ids[n++] = d; if (acc[d] > max) max = acc[d]; }
      }
      if (!n && all > 1) {
        for (j = 0; j < nt; j++) if (acc[touched[j]] > max) max = acc[touched[j]];
        var r = rank(touched, nt, cnt, acc, max);
        r.or = true;
        return r;
      }
      return rank(ids, n, cnt, acc, max);
    }
    /* Values of every document per facet, from facets.js. A one-value facet is read where it stands
     * (doc d's value + 1 is the number at d * w, one character for up to 63 values); for the others,
     * doc d has vals[off[d] .. off[d + 1]). */
    function facetData(list) {
      if (facets) return facets;
      facets = base.facets.map(function (f, fi) {
        var s = list[fi] || "", w = width(f.values.length), x = { key: f.key, title: f.title, values: f.values };
        var d, p = 0, n = 0;
        if (f.one) { x.one = s; x.w = w; return x; }
        var off = x.off = new Uint32Array(N + 1), vals = x.vals = new Uint32Array(Math.max(0, s.length / w - N)), c;
        if (w === 1) {
          /* Up to 63 values (tools): a character a number. */
          for (d = 0; d < N; d++) {
            for (c = B64[s.charCodeAt(p++)]; c > 0; c--) vals[n++] = B64[s.charCodeAt(p++)];
            off[d + 1] = n;
          }
          return x;
        }
        for (d = 0; d < N; d++) {
          for (c = num(s, p, w); c > 0; c--) vals[n++] = num(s, p += w, w);
          p += w;
          off[d + 1] = n;
        }
        return x;
      });
      return facets;
    }
    /* Value + 1 of doc d in one-value facet f (0: none). */
    function one(f, d) { return f.w === 1 ? B64[f.one.charCodeAt(d)] : num(f.one, d * f.w, f.w); }
    /* Has doc d a value of facet f that s selects? */
    function has(f, s, d) {
      if (f.one) { var v = one(f, d); return v > 0 && s[v - 1] === 1; }
      for (var j = f.off[d]; j < f.off[d + 1]; j++) if (s[f.vals[j]]) return true;
      return false;
    }
    /* Counts doc d's values of facet f into c. */
    function add(f, c, d) {
      if (f.one) { var v = one(f, d); if (v) c[v - 1]++; } else for (var j = f.off[d]; j < f.off[d + 1]; j++) c[f.vals[j]]++;
    }
    /* Filters (AND across facets, OR within) and counts; a facet's counts ignore its own filter.
     * Returns the kept positions of ids (null: all) and the facets with counts. */
    function filter(ids, filters) {
      var fs = facets, nf = fs.length, act = [], keep = [], i, k, d, f, c, str;
      var sel = fs.map(function (f, fi) {
        var want = (filters && filters[f.key]) || [], s = new Uint8Array(f.values.length), any = false;
        want.forEach(function (v) { var x = f.values.indexOf(v); if (x >= 0) { s[x] = 1; any = true; } });
        if (any) act.push(fi);
        return s;
      });
      var counts = fs.map(function (f) { return new Uint32Array(f.values.length); });
      if (!act.length) {
        /* No filter (the usual case): one tight pass per facet. */
        for (k = 0; k < nf; k++) {
          f = fs[k];
          c = counts[k];
          if (f.one && f.w === 1) {
            for (str = f.one, i = 0; i < ids.length; i++) { d = B64[str.charCodeAt(ids[i])]; if (d) c[d - 1]++; }
          } else for (i = 0; i < ids.length; i++) add(f, c, ids[i]);
        }
      }
      for (i = 0; i < ids.length && act.length; i++) {
        d = ids[i];
        var miss = -1, n = 0;
        for (k = 0; k < act.length && n < 2; k++) if (!has(fs[act[k]], sel[act[k]], d)) { miss = act[k]; n++; }
        if (n === 0) keep.push(i);
        if (n > 1) continue;
        for (k = 0; k < nf; k++) if (n === 0 || k === miss) add(fs[k], counts[k], d);
      }
      return {
        keep: act.length ? keep : null,
        facets: fs.map(function (f, fi) {
          return { key: f.key, title: f.title, values: f.values.map(function (v, x) {
            return { value: v, count: counts[fi][x], selected: !!sel[fi][x] };
          }) };
        }),
      };
    }
    /* search(query, {filters: {key: [value, ...]}, counts: true}) -> Promise of {query, words,
     * mode: "all"|"and"|"or", total, ids (ranked, filtered), scores (aligned with ids; null for "all"),
     * facets, terms, prefixes}. With counts: false and no filter, facets is null and facets.js is not
     * waited for: a page shows the results first and asks again (the ranking is cached) for the counts. */
    function search(q, o) {
      o = o || {};
      return ready().then(function () {
        var cl = parse(q || ""), ks = new Set(), f = o.filters || {};
        var counts = o.counts !== false || base.facets.some(function (x) { return f[x.key] && f[x.key].length; });
        cl.forEach(function (c) { need(c).forEach(function (k) { ks.add(k); }); });
        var wait = Array.from(ks).map(shard);
        if (counts) wait.push(get("facets", 0).then(facetData));
        return Promise.all(wait).then(function () {
          var t = cl.length ? text(cl) : { ids: Array.from({ length: N }, function (_, x) { return x; }), mode: "all", terms: [] };
          var r = counts ? filter(t.ids, o.filters) : { keep: null, facets: null }, ids = t.ids.slice(), sc = t.score, x, n;
          if (r.keep) {
            n = ids.length = r.keep.length;
            if (sc) sc = new Int32Array(n);
            for (x = 0; x < n; x++) {
              ids[x] = t.ids[r.keep[x]];
              if (sc) sc[x] = t.score[r.keep[x]];
            }
          }
          var res = {
            query: q, words: cl, mode: t.mode, total: ids.length, ids: ids, facets: r.facets, terms: t.terms,
            prefixes: cl.filter(function (c) { return c.prefix; }).map(function (c) { return c.t; }),
          };
          /* BM25F scores aligned with ids (null for "all"), computed when asked for: pages never do. */
          var scores;
          Object.defineProperty(res, "scores", { enumerable: true, get: function () {
            if (scores === undefined) {
              scores = sc ? new Float64Array(sc.length) : null;
              for (x = 0; sc && x < sc.length; x++) scores[x] = sc[x] / SCALE;
            }
            return scores;
          } });
          return res;
        });
      });
    }
    /* Display data of docs: [{id, name, url, department, category, model, text}], loading their chunks. */
    function docs(ids) {
      return ready().then(function () {
        function row(d, r) {
          return { id: d, name: r[0], url: r[1], department: r[2], category: r[3], model: r[4], text: r[5] };
        }
        return Promise.all(ids.map(function (d) {
          if (known.has(d)) return row(d, known.get(d));
          return get("d", Math.floor(d / base.chunk)).then(function (rows) { return row(d, rows[d % base.chunk]); });
        }));
      });
    }
    /* Loads base.js (and with `all`, facets.js) ahead of a first query. */
    function warm(all) {
      return ready().then(function () { return all ? get("facets", 0).then(facetData) : null; });
    }
    return { ready: ready, search: search, docs: docs, parse: parse, warm: warm };
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
    b64: b64, varints: varints, digits: digits, width: width, near: near, highlight: highlight, version: 2,
  };
  G.AgentkbSearch = API;
  if (typeof document === "undefined" || !document.querySelector) return;

  /* ---- The page. ----
   * The script is loaded async, right after the search form: it may run while the rest of the page is
   * still being parsed. A ?q= link starts its query at once; the results panel goes into <main> as
   * soon as <main> exists (at the latest at DOMContentLoaded). */
  var me = document.currentScript;
  function boot() {
    var form = document.querySelector(".akb-search");
    if (form) page(form);
    else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  }
  boot();

  function page(form) {
    me = me || document.querySelector("script[data-root][src*='search.js']");
    var ROOT = (me && me.getAttribute("data-root")) || form.getAttribute("data-root") || "";
    var pending = {};
    G.__akbSearchLoad = function (kind, id, data) {
      if (kind === "base") G.__akbSearchBase = data; /* also when <head>'s copy runs after ours */
      var p = pending[kind + id];
      if (p) { delete pending[kind + id]; p(data); }
    };
    var engine = createEngine({
      load: function (kind, id) {
        /* base.js, loaded by the page's <head>, ran first: its data is here already. */
        if (kind === "base" && G.__akbSearchBase) return Promise.resolve(G.__akbSearchBase);
        return new Promise(function (ok, fail) {
          var s = document.createElement("script"), file = "search/" + (kind === "t" || kind === "d" ? kind + id : kind) + ".js";
          s.src = ROOT + file;
          /* Low by default for inserted scripts: these are what the reader waits for (facet counts can wait). */
          if (kind !== "facets") s.fetchPriority = "high";
          pending[kind + id] = ok;
          s.onerror = function () { delete pending[kind + id]; fail(new Error("cannot load " + s.src)); };
          s.onload = function () { if (pending[kind + id]) fail(new Error("no data in " + s.src)); };
          /* agentkb bundle seam (src/bundle_runtime.js): a single-file bundle has no search/ folder and
           * hands over the file's text instead; it runs as an inline script, with no request. */
          if (G.__akbInline) return G.__akbInline(file).then(function (text) {
            s.removeAttribute("src");
            s.text = text;
            document.head.appendChild(s);
            s.onload();
          }, s.onerror);
          document.head.appendChild(s);
        });
      },
    });

    var input = form.querySelector("input"), live = form.querySelector("[role=status]");
    var btn = form.querySelector(".akb-search-filters");
    function el(tag, cls, html) {
      var e = document.createElement(tag);
      if (cls) e.className = cls;
      if (html) e.innerHTML = html;
      return e;
    }
    if (!live) { live = el("div", "akb-sr"); live.setAttribute("role", "status"); form.appendChild(live); }
    var panel = el("section", "akb-search-panel", '<div class="akb-search-body">' +
      '<div class="akb-facets" role="group" aria-label="Filters"></div><div class="akb-search-main">' +
      '<div class="akb-search-head"><p class="akb-search-count"></p>' +
      '<button type="button" class="button akb-search-clear">Clear search</button></div>' +
      '<ul class="akb-results" id="akb-search-results" role="listbox" aria-label="Search results"></ul>' +
      '<button type="button" class="button akb-more" hidden></button></div></div>');
    function $(c) { return panel.querySelector(c); }
    var count = $(".akb-search-count"), clear = $(".akb-search-clear"), facetBox = $(".akb-facets");
    var list = $(".akb-results"), more = $(".akb-more");
    panel.id = "akb-search-panel";
    panel.hidden = true;
    panel.setAttribute("aria-label", "Search");
    /* Resolves once the panel is in the page: in <main>, or in <body> when the page has no <main>. */
    var mounted = new Promise(function (ok) {
      function mount() {
        var main = document.querySelector("main");
        if (!main && document.readyState === "loading") return false;
        main = main || document.body;
        main.insertBefore(panel, main.firstChild);
        ok();
        return true;
      }
      if (!mount()) document.addEventListener("DOMContentLoaded", mount);
    });
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    form.hidden = false;

    var PAGE = 10, state = { q: "", filters: {}, browse: false, limit: PAGE }, keys = [], seq = 0, done = 0, go = false;
    var active = -1, boxes = {}, speak, counted = false;

    /* Facet keys in the index's order (once base.js is in), else as the filters were set. */
    function fkeys() { return keys.length ? keys : Object.keys(state.filters); }
    function anyFilter() { return fkeys().some(function (k) { return (state.filters[k] || []).length; }); }
    function isOpen() { return !!(state.q.trim() || anyFilter() || state.browse); }
    /* The state in the URL (replaceState: no history entries), a moment after the last change. */
    var urlTimer;
    function saveURL() { clearTimeout(urlTimer); urlTimer = setTimeout(writeURL, 150); }
    function writeURL() {
      clearTimeout(urlTimer);
      var p = new URLSearchParams();
      if (state.q) p.set("q", state.q);
      fkeys().forEach(function (k) { (state.filters[k] || []).forEach(function (v) { p.append(k, v); }); });
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
            var li = el("li", null, '<label><input type="checkbox"><span class="akb-facet-name"></span><span class="count"></span></label>');
            var cb = li.querySelector("input");
            cb.value = li.firstChild.title = li.querySelector("span").textContent = v.value;
            cb.setAttribute("data-facet", f.key);
            ul.appendChild(li);
            return { li: li, cb: cb, n: li.querySelector(".count") };
          }) };
        }
        var vis = 0;
        f.values.forEach(function (v, i) {
          var it = box.items[i], hide = !v.count && !v.selected;
          if (it.cb.checked !== v.selected) it.cb.checked = v.selected;
          if (it.c !== v.count) it.n.textContent = it.c = v.count;
          if (it.li.hidden !== hide) it.li.hidden = hide;
          if (!hide) vis++;
        });
        if (box.set.hidden !== !vis) box.set.hidden = !vis;
      });
    }
    function render(res, rows) {
      var q = res.query.trim(), n = res.total, what = n === 1 ? "1 agent" : n + " agents";
      var msg = !q ? what : !n ? "No agents match “" + q + "”" :
        what + (res.mode === "or" ? " matching some of the words" : "") + " for “" + q + "”";
      count.textContent = msg;
      list.innerHTML = rows.map(function (r, i) {
        var meta = [r.department, r.category].filter(Boolean).map(esc).join(" › ");
        if (r.model) meta += (meta ? " · " : "") + '<span class="badge badge-model">' + esc(r.model) + "</span>";
        return '<li class="akb-result" role="option" aria-selected="false" id="akb-result-' + i + '"><a tabindex="-1" href="' +
          esc(ROOT + r.url) + '"><span class="akb-result-name">' + highlight(r.name, res) + "</span>" +
          (meta ? '<span class="akb-result-meta">' + meta + "</span>" : "") +
          (r.text ? '<span class="akb-result-text">' + highlight(r.text, res, 180) + "</span>" : "") + "</a></li>";
      }).join("");
      more.hidden = n <= rows.length;
      more.textContent = "Show more (" + (n - rows.length) + ")";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (res.facets) renderFacets(res.facets);
      clearTimeout(speak);
      speak = setTimeout(function () { live.textContent = msg; }, 200);
    }
    function open(on) {
      if (on === !panel.hidden) return;
      panel.hidden = !on;
      if (document.body) document.body.classList.toggle("akb-searching", on);
      input.setAttribute("aria-expanded", String(on));
      if (on) window.scrollTo(0, 0);
    }
    function run() {
      var my = ++seq;
      if (!isOpen()) {
        done = my;
        open(false);
        clearTimeout(speak);
        live.textContent = "";
        saveURL();
        return Promise.resolve();
      }
      /* Until facets.js has come once, results first and their facet counts right after (fillCounts). */
      return engine.search(state.q, { filters: state.filters, counts: counted }).then(function (res) {
        if (my !== seq) return;
        if (res.facets) keys = res.facets.map(function (f) { return f.key; });
        saveURL();
        return Promise.all([engine.docs(res.ids.slice(0, state.limit)), mounted]).then(function (got) {
          if (my !== seq) return;
          render(res, got[0]);
          open(true);
          done = my;
          if (go) enter();
          if (!res.facets) fillCounts(my);
        });
      }).catch(function (e) {
        if (my !== seq) return;
        count.textContent = "Search is unavailable (" + e.message + ").";
        open(true);
      });
    }
    function fillCounts(my) {
      return engine.search(state.q, { filters: state.filters }).then(function (res) {
        counted = true;
        if (my !== seq) return;
        keys = res.facets.map(function (f) { return f.key; });
        renderFacets(res.facets);
      }, function () { /* shown by the next search */ });
    }
    function reset() {
      input.value = state.q = "";
      state.filters = {};
      state.browse = false;
      state.limit = PAGE;
      run();
    }
    function warm() { engine.warm(true).catch(function () { /* reported by the first search */ }); }
    function enter() {
      var li = list.children[active >= 0 ? active : 0];
      go = false;
      writeURL(); /* so that Back comes back to this search */
      if (li && !panel.hidden) location.href = li.firstChild.href;
    }
    function typed() { state.q = input.value; state.limit = PAGE; go = false; run(); }
    /* While an input method composes (pinyin, kana), wait for the characters. */
    input.addEventListener("input", function (e) { if (!e.isComposing) typed(); });
    input.addEventListener("compositionend", typed);
    input.addEventListener("focus", warm);
    form.addEventListener("pointerenter", warm);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    input.addEventListener("keydown", function (e) {
      var n = list.children.length;
      if (e.isComposing || e.keyCode === 229) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!n || panel.hidden) return;
        e.preventDefault();
        setActive(e.key === "ArrowDown" ? (active + 1) % n : active <= 0 ? n - 1 : active - 1);
      } else if (e.key === "Enter") {
        e.preventDefault();
        /* Results still coming for what was just typed: open the first when they arrive. */
        if (done !== seq && active < 0) go = true; else enter();
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
    list.addEventListener("click", writeURL);
    panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { reset(); input.focus(); } });
    facetBox.addEventListener("change", function (e) {
      var cb = e.target, k = cb.getAttribute("data-facet");
      if (!k) return;
      var vs = (state.filters[k] || []).filter(function (v) { return v !== cb.value; });
      if (cb.checked) vs.push(cb.value);
      state.filters[k] = vs;
      state.browse = true;
      state.limit = PAGE;
      run();
    });
    more.addEventListener("click", function () { state.limit += PAGE; run(); });
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
    if (state.q.trim()) {
      /* A search link: the page's own content gives way at once, so it is neither laid out nor
       * painted only to be hidden when the results come. */
      count.textContent = "Searching…";
      if (document.body) document.body.classList.add("akb-searching");
      mounted.then(function () { if (state.q.trim()) open(true); });
    }
    if (location.search.length > 1) {
      engine.ready().then(function (b) {
        keys = b.facets.map(function (f) { return f.key; });
        keys.forEach(function (k) { if (params.getAll(k).length) state.filters[k] = params.getAll(k); });
        if (isOpen()) run();
      }, function () { if (state.q) run(); });
    }
  }
})(typeof window !== "undefined" ? window : globalThis);
