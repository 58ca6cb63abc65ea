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

  /* ---- Query words: stems, stop words, Chinese filler. ---- */
  /* A light English stemmer. The index keeps words as written; a query word also matches every index
   * term with its stem (writer, writing, write; auditor, audit; tests, tester, testing). A stem is
   * always a prefix of its word, so a word's family lies in one prefix range of the dictionary. Each
   * rule keeps at least three letters; -ing and -ed keep a vowel too ("string" stays). */
  /* [suffix, letters cut, letters kept at least, the rest needs a vowel (then undoubled)] */
  var STEM_RULES = [
    [/ization$/, 5, 5], [/mentation$/, 5, 5], [/ation$/, 3, 5], [/ment$/, 4, 5], [/ing$/, 3, 3, 1], [/[^e]er$/, 2, 3],
    [/or$/, 2, 3], [/ie[sd]$/, 3, 3], [/ed$/, 2, 3, 1], [/(?:[sxz]|[cs]h)es$/, 2, 3], [/[^siu]s$/, 1, 3], [/e$/, 1, 3],
    [/[^aeiou]y$/, 1, 3],
  ];
  function strip(w) {
    for (var i = 0; i < STEM_RULES.length; i++) {
      var r = STEM_RULES[i];
      if (!r[0].test(w)) continue;
      var s = w.slice(0, w.length - r[1]);
      if (s.length < r[2] || (r[3] && !/[aeiouy]/.test(s))) return w;
      /* running -> runn -> run; planned -> plan; but install, process stay */
      if (r[3] && s.length > 3 && s[s.length - 1] === s[s.length - 2] && !/[aeiouylsz]/.test(s[s.length - 1])) s = s.slice(0, -1);
      return s;
    }
    return w;
  }
  function stem(w) {
    if (w.length < 4 || !/^[a-z]+$/.test(w)) return w;
    for (var pass = 0; pass < 3; pass++) {
      var s = strip(w);
      if (s === w) break;
      w = s;
    }
    return w;
  }
  /* Words that say how, not what: they may rank a result but never exclude one. */
  var STOP = {};
  ("a an the and or of to in on for with without my me i we our us you your is are am be been do does did " +
    "how what which who where when why can could would should will want need help please some any this that " +
    "these those it its at by from into about using use via as than then so just get like make").split(" ")
    .forEach(function (w) { STOP[w] = 1; });
  /* Chinese has no spaces: a run of Han characters is cut at particles and filler ("帮我", "如何", "的"),
   * which would otherwise make bigrams that no document has. */
  var ZH_FILLER = /请帮我|请你|帮我|帮忙|我想要|我想|我要|我需要|如何|怎么样|怎么|怎样|给我|一个|一些|一下|有没有|能不能|[的和与及或吗呢吧]/g;
  /* A role at the end of a run ("游戏开发工程师") is its own unit, optional, as "engineer" is in English
   * queries: what the reader wants is the rest. */
  var ZH_ROLE = /(工程师|专家|开发者|开发人员|架构师|设计师|分析师|经理|顾问|助手|专员|管理员|工具)$/;
  /* A run starting with one of these verbs ("写单元测试", "做用户调研") has an optional first bigram. */
  var ZH_VERB = /^[写做搞找帮]/;

  /* Weights of the ways an index term can match a query word: as typed, by its stem, as the
   * completion of the word being typed, within one typo; and of a synonym's match. */
  var W_EXACT = 1, W_STEM = 0.9, W_PREFIX = 0.5, W_TYPO = 0.35, W_SYN = 0.7;
  var MAX_PREFIX = 50, MAX_TYPO = 20, MAX_RANGE = 8, MAX_STEM_RANGE = 4, MAX_WORDS = 12, CACHE = 32;
  /* Fewer results with every word than this, and the ranking is an OR by the words' rarity. */
  var THIN = 5;
  /* A word whose rarity (idf) is below this share of the query's rarest word's ranks and never excludes. */
  var COMMON = 0.4;
  /* Share of a Chinese run's bigrams (those some document has) a document needs to match it. */
  var CJK_NEED = 0.6;
  /* A Chinese run's score shrinks by up to this share as its bigrams are found apart, not in one run. */
  var CJK_SCATTER = 0.3;
  /* Impact byte q -> s = 2^((q - 192) / 16): BM25F's term-frequency part plus the name and summary
   * bonuses (search.h). */
  var IMPACT = new Float64Array(256);
  for (var q = 0; q < 256; q++) IMPACT[q] = Math.pow(2, (q - 192) / 16);
  /* Scores are summed as integers, score x 2^16: a first query runs cold (interpreted) code, where every
   * fractional number is an allocation; small integers are not. A word scores below 2^24 (idf < 15 up to
   * a million documents, s < 16), so the words of a query stay within 31 bits. */
  var SCALE = 65536;

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
    /* ---- Parsing. A query is a list of units: a Latin word, or a run of Chinese (CJK) characters.
     * A unit matches when one of its alternatives does: its own words, or the other members of a
     * synonym group it belongs to. An alternative is a list of atoms, each one lookup in the index (a
     * word and its family, or a bigram), and needs `need` of them: all for words, most for a Chinese
     * run's bigrams (computed once the index says which bigrams exist). A unit of stop words, or of a
     * word most documents have, is optional: it ranks, and never excludes. ---- */
    var synLatin = null, synCJK = null;
    /* The synonym table of base.js, keyed by a member's tokens ("machine learning") or, for Chinese
     * members, its characters (matched inside a run: 写单元测试 holds 测试). */
    function synonyms() {
      if (synLatin) return;
      synLatin = new Map();
      synCJK = [];
      (base.syn || []).forEach(function (group, g) {
        group.forEach(function (m) {
          var t = tokenize(m);
          if (!t.length) return;
          if (isCJK(m.codePointAt(0))) synCJK.push({ key: m, g: g });
          else synLatin.set(t.join(" "), g);
        });
      });
      synCJK.sort(function (a, b) { return b.key.length - a.key.length; });
    }
    function parse(q) {
      q = q || "";
      synonyms();
      var open = q.length > 0 && !/\s$/.test(q), toks = spans(q), segs = [], units = [], atoms = new Map();
      function atom(word, o) {
        var key = word + (o && o.open ? "*" : "") + (o && o.typo ? "~" : "");
        var a = atoms.get(key);
        if (!a) atoms.set(key, a = { t: word, words: [word], open: !!(o && o.open), typo: !!(o && o.typo), id: atoms.size });
        return a;
      }
      /* An atom of a synonym: any one of `words`, never counted as rarer than the unit's own words
       * (`cap`, a list of atoms), so a rare synonym cannot outrank the word the reader typed. */
      function synAtom(words, cap) {
        var key = "{" + words.join("|") + "}" + cap.map(function (c) { return c.id; }).join(","), a = atoms.get(key);
        if (!a) atoms.set(key, a = { t: words[0], words: words, open: false, typo: false, id: atoms.size, cap: cap });
        return a;
      }
      function bigrams(run, lastOpen) {
        var cp = Array.from(run), out = [];
        if (cp.length === 1) return [atom(cp[0], { open: lastOpen })];
        for (var i = 0; i + 1 < cp.length; i++) out.push(atom(cp[i] + cp[i + 1]));
        out.forEach(function (a, j) {
          a.nb = a.nb || [];
          if (j > 0) a.nb.push(out[j - 1].id);
          if (j + 1 < out.length) a.nb.push(out[j + 1].id);
        });
        return out;
      }
      /* The alternative a synonym member gives: its words, or its bigrams, capped by the unit's own atoms. */
      function member(m, cap) {
        var cjk = isCJK(m.codePointAt(0));
        return { atoms: tokenize(m).map(function (t) { return synAtom([t], cap); }), cjk: cjk, w: W_SYN, opt: [] };
      }
      /* A group's English words for a member found inside a Chinese run: its one-word members (any of
       * them: "test", "testing"), else the words of its first phrase ("unit", "test"), one atom each. */
      function memberWords(g) {
        var latin = base.syn[g].filter(function (m) { return !isCJK(m.codePointAt(0)); }).map(tokenize);
        var one = latin.filter(function (t) { return t.length === 1; }).map(function (t) { return t[0]; });
        if (one.length) return [one];
        return latin.length ? latin[0].map(function (t) { return [t]; }) : [];
      }
      function withGroup(alts, g, self, w) {
        base.syn[g].forEach(function (m) {
          if (tokenize(m).join(" ") !== self && m !== self) {
            var alt = member(m, alts[0].atoms);
            alt.w *= w || 1;
            alts.push(alt);
          }
        });
        return alts;
      }
      toks.forEach(function (x) {
        var last = segs[segs.length - 1];
        if (isCJK(x.t.codePointAt(0))) {
          if (last && last.cjk && x.s < last.e) last.e = x.e; else segs.push({ cjk: true, s: x.s, e: x.e });
        } else segs.push({ t: x.t, e: x.e });
      });
      segs.forEach(function (seg, si) {
        var lastSeg = si === segs.length - 1;
        if (!seg.cjk) return;
        seg.pieces = [];
        q.slice(seg.s, seg.e).split(ZH_FILLER).filter(Boolean).forEach(function (run) {
          var m = ZH_ROLE.exec(run);
          if (m && m.index > 1) seg.pieces.push(run.slice(0, m.index), { role: m[1] });
          else seg.pieces.push(run);
        });
        seg.lastOpen = lastSeg && open && seg.e === q.length;
      });
      for (var si = 0; si < segs.length && units.length < MAX_WORDS; si++) {
        var seg = segs[si], lastSeg = si === segs.length - 1;
        if (seg.cjk) {
          seg.pieces.forEach(function (run, pi) {
            if (units.length >= MAX_WORDS) return;
            var role = typeof run === "object";
            if (role) run = run.role;
            var own = { atoms: bigrams(run, seg.lastOpen && pi === seg.pieces.length - 1), cjk: true, w: 1, opt: [] };
            var verb = own.atoms.length > 1 && ZH_VERB.test(run), core = verb ? run.slice(1) : run;
            if (verb) own.opt[0] = 1;
            var alts = [own], exact = synCJK.filter(function (s) { return s.key === core; });
            if (exact.length) exact.forEach(function (s) { withGroup(alts, s.g, core); });
            else {
              /* Members found inside the run, longest first, not overlapping ("安卓开发" holds 安卓): one
               * more alternative, the run with those members replaced by their words (android 开发). */
              var cps = Array.from(run), off = verb ? 1 : 0, used = [];
              synCJK.forEach(function (s) {
                var at = Array.from(core.slice(0, Math.max(0, core.indexOf(s.key)))).length + off, len = Array.from(s.key).length;
                if (core.indexOf(s.key) < 0 || used.some(function (u) { return at < u.e && u.s < at + len; })) return;
                var ws = memberWords(s.g);
                if (ws.length) used.push({ s: at, e: at + len, atoms: ws.map(function (w) { return synAtom(w, own.atoms); }) });
              });
              if (used.length) {
                var parts = used.map(function (u) { return { at: u.s, atoms: u.atoms }; });
                for (var bi = 0; bi + 1 < cps.length; bi++) {
                  if (used.every(function (u) { return bi + 2 <= u.s || bi >= u.e; })) parts.push({ at: bi, atoms: [own.atoms[bi]], opt: verb && bi === 0 });
                }
                parts.sort(function (x, y) { return x.at - y.at; });
                var alt = { atoms: [], cjk: true, w: W_SYN, opt: [] };
                parts.forEach(function (x) {
                  x.atoms.forEach(function (a) { if (x.opt) alt.opt[alt.atoms.length] = 1; alt.atoms.push(a); });
                });
                alts.push(alt);
              }
            }
            units.push({ alts: alts, stop: role });
          });
          continue;
        }
        /* A synonym of two or three words ("machine learning") makes one unit of them. */
        var span = 1, g = -1;
        for (var len = 3; len >= 2 && g < 0; len--) {
          var ws = segs.slice(si, si + len);
          if (ws.length === len && ws.every(function (x) { return !x.cjk; })) {
            var k = ws.map(function (x) { return x.t; }).join(" ");
            if (synLatin.has(k)) { g = synLatin.get(k); span = len; }
          }
        }
        var t = seg.t, isLast = si + span - 1 === segs.length - 1, typing = isLast && open && segs[si + span - 1].e === q.length;
        var alts2;
        if (span > 1) {
          var own2 = segs.slice(si, si + span).map(function (x, j) { return atom(x.t, { open: typing && j === span - 1 }); });
          alts2 = withGroup([{ atoms: own2, cjk: false, w: 1, opt: [] }], g, segs.slice(si, si + span).map(function (x) { return x.t; }).join(" "));
          si += span - 1;
        } else {
          var own1 = atom(t, { open: typing, typo: latinWord(t) && !STOP[t] });
          alts2 = [{ atoms: [own1], cjk: false, w: 1, opt: [] }];
          if (synLatin.has(t)) withGroup(alts2, synLatin.get(t), t);
        }
        units.push({ alts: alts2, stop: span === 1 && !!STOP[t] && !(typing && lastSeg) });
      }
      var list = Array.from(atoms.values());
      return { units: units, atoms: list };
    }
    /* Shards a word needs: its own; its stem family's range (c.sk); the completions of the word being
     * typed (c.pk); its typo range (c.tk); each at most MAX_RANGE shards (MAX_STEM_RANGE for stems).
     * Solo shards whose one term cannot match are left out: most of a typo range, at 10,000 agents,
     * is big terms sharing the first two letters. */
    function need(c) {
      var out = [];
      c.ranges = c.words.map(function (w) {
        var cp = Array.from(w), r = [], p2 = cp.slice(0, 2).join(""), s = stem(w);
        function typo(t) { return t.lastIndexOf(p2, 0) === 0 && t !== w && near(w, t); }
        function ok(k) { return may(k, typo); }
        /* Short prefixes match much and are soon typed past: fewer shards (2, 4, then 8). */
        var pk = c.open ? range(w).filter(function (k) {
          return may(k, function (t) { return t.lastIndexOf(w, 0) === 0; });
        }).slice(0, Math.min(MAX_RANGE, 1 << cp.length)) : [];
        var sk = /^[a-z]{4,}$/.test(w) ? range(s).filter(function (k) {
          return may(k, function (t) { return stem(t) === s; });
        }).slice(0, MAX_STEM_RANGE) : [];
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
        var own = shardOf(w);
        if (may(own, function (t) { return t === w; })) out.push(own);
        out.push.apply(out, pk.concat(sk, r));
        return { pk: pk, sk: sk, tk: r };
      });
      return out;
    }
    /* Index terms a query atom matches: [{sh, i, term, w, idf}], the best way per term. A term that is
     * not the word itself never counts as rarer than the word: a completion or a typo of "sql" must
     * not outrank "sql" because "sqlalchemy" is rare. */
    function candidates(c) {
      var found = new Map(), exactIdf = 0, cap = 0;
      /* A synonym's terms: no rarer than the rarest term of the unit's own words. */
      (c.cap || []).forEach(function (o) { if (o.idf > cap) cap = o.idf; });
      function add(sh, i, w) {
        var t = sh.terms[i], old = found.get(t);
        if (!old || old.w < w) found.set(t, { sh: sh, i: i, term: t, w: w, size: sh.off[i + 1] - sh.off[i] });
      }
      function scan(p, ks, fn) {
        ks.forEach(function (k) {
          var sh = shards.get(k);
          if (!sh) return;
          for (var i = lowerBound(sh.terms, p); i < sh.terms.length; i++) {
            var t = sh.terms[i];
            if (t.lastIndexOf(p, 0) !== 0) { if (t > p) break; continue; }
            fn(sh, i, t);
          }
        });
      }
      function top(list, max) {
        list.sort(function (a, b) { return b.size - a.size; }).slice(0, max).forEach(function (x) { add(x.sh, x.i, x.w); });
      }
      c.words.forEach(function (w, wi) {
        var sh = shards.get(shardOf(w)), i = sh ? lowerBound(sh.terms, w) : 0, s = stem(w), more = [], rg = c.ranges[wi];
        if (sh && sh.terms[i] === w) {
          add(sh, i, W_EXACT);
          exactIdf = Math.max(exactIdf, postings(sh, i).idf);
        }
        scan(s, rg.sk, function (x, j, t) { if (t !== w && stem(t) === s) add(x, j, W_STEM); });
        if (c.open) {
          scan(w, rg.pk, function (x, j, t) {
            if (t !== w) more.push({ sh: x, i: j, w: W_PREFIX, size: x.off[j + 1] - x.off[j] });
          });
          top(more, MAX_PREFIX);
        }
        if (c.typo) {
          more = [];
          scan(Array.from(w).slice(0, 2).join(""), rg.tk, function (x, j, t) {
            if (t !== w && !found.has(t) && near(w, t)) more.push({ sh: x, i: j, w: W_TYPO, size: x.off[j + 1] - x.off[j] });
          });
          top(more, MAX_TYPO);
        }
      });
      var out = Array.from(found.values()).map(function (x) {
        var p = postings(x.sh, x.i);
        x.df = p.df;
        x.idf = x.w < W_EXACT && exactIdf ? Math.min(p.idf, exactIdf) : p.idf;
        if (cap) x.idf = Math.min(x.idf, cap);
        return x;
      });
      c.idf = out.reduce(function (m, x) { return Math.max(m, x.idf); }, 0);
      return out;
    }
    /* Integer score of each impact byte for a term matched with weight w and inverse document frequency idf. */
    function table(w, idf) {
      var tab = new Int32Array(256), f = w * idf * SCALE;
      for (var q = 0; q < 256; q++) tab[q] = Math.max(1, Math.round(f * IMPACT[q]));
      return tab;
    }
    /* A first query runs cold (interpreted) code, where a loop over 10,000 documents costs about a
     * millisecond: ranking keeps such loops few and leaves sorting to native typed-array code. */

    /* One index term for the whole query (the usual first query): the postings are in its ranking's order. */
    function single(x) {
      var p = postings(x.sh, x.i), tab = table(x.w, x.idf), score = new Int32Array(p.df);
      for (var g = 0, j = 0; g < p.gq.length; j = p.gend[g++]) score.fill(tab[p.gq[g]], j, p.gend[g]);
      return { ids: p.docs, score: score };
    }
    /* Sorts n ids by score (best first), then id, in integers only: 30 bits of score relative to the
     * best (max), ordered by a stable radix sort (three passes of 10 bits) of the ids in ascending
     * order. Returns the ids and their scores. */
    function rank(ids, n, acc, max) {
      var sh = 0, i, d, x, at, t, pass;
      ids = ids.slice(0, n).sort();
      while ((max >> sh) >= 1073741824) sh++;
      var a = ids, b = new Uint32Array(n), ka = new Int32Array(n), kb = new Int32Array(n), count = new Int32Array(1024);
      for (i = 0; i < n; i++) { d = a[i]; ka[i] = 1073741823 - (acc[d] >> sh); }
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
    /* Ranked doc ids for a parsed query (cached): the documents that match every required unit, or,
     * when fewer than THIN do, every document matching some, by score alone (so a rare word counts
     * for more than two common ones). */
    function text(pq) {
      var key = JSON.stringify(pq.units), hit = texts.get(key);
      if (hit) return hit;
      var atomsList = pq.atoms, terms = [], cands = atomsList.map(function (a) {
        var x = candidates(a);
        x.forEach(function (y) { terms.push(y.term); });
        return x;
      });
      /* An inner bigram rarer than both its neighbours in the run most likely straddles two words (理客
       * in 处理客户投诉 is "处理" then "客户"): it counts no more than the rarer neighbour. */
      var raw = atomsList.map(function (a) { return a.idf || 0; });
      atomsList.forEach(function (a, k) {
        var nb = a.nb || [], m = nb.reduce(function (x, j) { return Math.max(x, raw[j]); }, 0);
        if (nb.length > 1 && nb.every(function (j) { return raw[j] > 0; }) && raw[k] > m) {
          a.idf = m;
          cands[k].forEach(function (c) { c.idf = Math.min(c.idf, m); });
        }
      });
      var r = score(pq.units, atomsList, cands);
      hit = { ids: Array.from(r.ids), mode: r.or ? "or" : "and", terms: terms, score: r.score };
      texts.set(key, hit);
      if (texts.size > CACHE) texts.delete(texts.keys().next().value);
      return hit;
    }
    function score(units, atomsList, cands) {
      var na = atomsList.length, i, j, k, d, g, e, s, p, tab, docs, arr;
      if (units.length === 1 && units[0].alts.length === 1 && na === 1 && cands[0].length === 1) return single(cands[0][0]);
      /* Each atom's best score per document, and the documents any atom touched. */
      var sc = new Array(na), touched = new Uint32Array(N), seen = new Uint8Array(N), nt = 0;
      for (k = 0; k < na; k++) {
        arr = sc[k] = new Int32Array(N);
        for (i = 0; i < cands[k].length; i++) {
          var c = cands[k][i];
          p = postings(c.sh, c.i);
          tab = table(c.w, c.idf);
          docs = p.docs;
          for (g = 0, j = 0; g < p.gq.length; g++) {
            for (s = tab[p.gq[g]], e = p.gend[g]; j < e; j++) {
              d = docs[j];
              if (s > arr[d]) arr[d] = s;
              if (!seen[d]) { seen[d] = 1; touched[nt++] = d; }
            }
          }
        }
      }
      if (na === 1 && units.length === 1) return rank(touched, nt, sc[0], max(sc[0], touched, nt));
      /* Needs, and which units are optional: stop words, and single words in most documents. */
      var df = cands.map(function (cs) {
        return cs.reduce(function (m, c) { return c.w === W_EXACT && c.df > m ? c.df : m; }, 0);
      });
      var has = cands.map(function (cs) { return cs.length > 0; }), req = 0;
      /* What an alternative needs: every word; or, for a Chinese run, most of the rarity of its bigrams
       * that some document has (a bigram straddling two words, which no document has, needs nothing). */
      units.forEach(function (u) {
        u.alts.forEach(function (alt) {
          var m = 0;
          alt.wt = alt.atoms.map(function (a, x) {
            var w = alt.opt[x] || !has[a.id] ? 0 : alt.cjk ? Math.max(1, Math.round(a.idf * 1000)) : 1;
            m += w;
            return w;
          });
          alt.need = !m || (!alt.cjk && !alt.atoms.every(function (a) { return has[a.id]; })) ? Infinity :
            alt.cjk ? Math.ceil(CJK_NEED * m) : m;
        });
        u.rarity = u.alts[0].atoms.reduce(function (m, a) { return Math.max(m, a.idf || 0); }, 0);
      });
      /* Optional too: a word much commoner than the query's rarest ("write", "app" beside "privacy"). */
      var rarest = units.reduce(function (m, u) { return u.stop ? m : Math.max(m, u.rarity); }, 0);
      units.forEach(function (u) {
        var own = u.alts[0].atoms;
        u.optional = u.stop || (own.length === 1 && !u.alts[0].cjk && u.rarity > 0 &&
          (df[own[0].id] > N / 2 || u.rarity < COMMON * rarest));
        if (!u.optional) req++;
      });
      if (!req) units.forEach(function (u) { u.optional = false; });
      /* A unit weighs its rarest own word: a document matching only the rarest of three words does not
       * beat one matching all three, but one matching the two rarest may. */
      var mass = 0;
      units.forEach(function (u) {
        u.mass = u.optional ? 0 : u.rarity;
        mass += u.mass;
      });
      var acc = new Int32Array(N), strict = new Uint32Array(nt), loose = new Uint32Array(nt), ns = 0, nl = 0, top = 0;
      for (i = 0; i < nt; i++) {
        d = touched[i];
        var total = 0, ok = true, any = false, got = 0;
        for (var ui = 0; ui < units.length; ui++) {
          var u = units[ui], best = 0, others = 0, matched = false;
          for (var ai = 0; ai < u.alts.length; ai++) {
            var alt = u.alts[ai], at = alt.atoms, sum = 0, cnt = 0, run = 0, longest = 0;
            for (k = 0; k < at.length; k++) {
              s = sc[at[k].id][d];
              if (s) { sum += s; cnt += alt.wt[k]; if (++run > longest) longest = run; } else run = 0;
            }
            if (alt.cjk && at.length > 1) {
              /* A run of n characters is some n/2 words, not n - 1: its bigrams' sum counts as that. */
              sum = Math.round(sum * (at.length + 1) / (2 * at.length));
              /* Consecutive bigrams are (almost surely) the run itself; scattered ones count less. */
              sum -= Math.round(sum * CJK_SCATTER * (at.length - longest) / (at.length - 1));
            }
            if (alt.w !== 1) sum = Math.round(sum * alt.w);
            if (cnt >= alt.need) matched = true;
            if (sum > best) { others += best; best = sum; } else others += sum;
          }
          /* The best way to match counts, and a little every other way: "machine learning" in the
           * summary and "ml" in the name beat "ml" in the name alone. */
          total += best + (others >> 2);
          if (!u.optional) {
            if (!matched) ok = false;
            if (best) { any = true; got += matched ? u.mass : u.mass / 2; }
          }
        }
        acc[d] = ok || !mass ? total : Math.round(total * (0.5 + 0.5 * got / mass));
        if (ok) strict[ns++] = d;
        if (any) loose[nl++] = d;
      }
      var or = ns < THIN && nl > ns, ids = or ? loose : strict, n = or ? nl : ns;
      for (i = 0; i < n; i++) if (acc[ids[i]] > top) top = acc[ids[i]];
      var res = rank(ids, n, acc, top);
      res.or = or;
      return res;
    }
    function max(arr, ids, n) {
      for (var m = 0, i = 0; i < n; i++) if (arr[ids[i]] > m) m = arr[ids[i]];
      return m;
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
        var pq = parse(q || ""), cl = pq.atoms, ks = new Set(), f = o.filters || {};
        var counts = o.counts !== false || base.facets.some(function (x) { return f[x.key] && f[x.key].length; });
        cl.forEach(function (c) { need(c).forEach(function (k) { ks.add(k); }); });
        var wait = Array.from(ks).map(shard);
        if (counts) wait.push(get("facets", 0).then(facetData));
        return Promise.all(wait).then(function () {
          var t = pq.units.length ? text(pq) : { ids: Array.from({ length: N }, function (_, x) { return x; }), mode: "all", terms: [] };
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
            prefixes: cl.filter(function (c) { return c.open; }).map(function (c) { return c.t; }),
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
          return { id: d, name: r[0], url: r[1], department: r[2], category: r[3], model: r[4], text: r[5], qualifier: r[6] || "",
            install: r.length > 7 ? { path: r[7], raw: r[8], dir: r[9] } : null };
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
    b64: b64, varints: varints, digits: digits, width: width, near: near, stem: stem, highlight: highlight, version: 3,
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
    /* The site's base_url, when it has one: install commands download from there, as cards' do. */
    var BASE = form.getAttribute("data-base") || "";
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
          /* agentkb bundle seam (src/bundle/bundle_runtime.js): a single-file bundle has no search/ folder and
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
        /* agents/<slug>/index.html: the raw file beside it, and where its harness wants it (site.js copies).
         * A sub-agent's are implied by its slug; other formats carry theirs (none: nothing to copy). */
        var slug = r.url.split("/")[1] || "", ins = r.install || { path: ".claude/agents/" + slug + ".md", raw: slug + ".md", dir: "" };
        var raw = "agents/" + slug + "/" + ins.raw, archive = ins.dir ? "agents/" + slug + "/" + slug + ".tar.gz" : "";
        return '<li class="akb-result" role="option" aria-selected="false" id="akb-result-' + i + '"><a tabindex="-1" href="' +
          esc(ROOT + r.url) + '"><span class="akb-result-name">' + highlight(r.name, res) +
          (r.qualifier ? ' <span class="qualifier">' + esc(r.qualifier) + "</span>" : "") + "</span>" +
          (meta ? '<span class="akb-result-meta">' + meta + "</span>" : "") +
          (r.text ? '<span class="akb-result-text">' + highlight(r.text, res, 180) + "</span>" : "") + "</a>" +
          (!ins.path ? "" : '<button class="copy-install akb-result-copy" type="button" tabindex="-1" data-raw="' + esc(raw) +
          (BASE ? '" data-url="' + esc(BASE + encodeURI(raw)) : "") +
          (archive ? '" data-archive="' + esc(archive) + '" data-dir="' + esc(ins.dir) + (BASE ? '" data-archive-url="' + esc(BASE + encodeURI(archive)) : "") : "") +
          '" data-path="' + esc(ins.path) + '" aria-label="Copy the command that installs ' + esc(r.name) +
          '">Copy install</button>') + "</li>";
      }).join("");
      more.hidden = n <= rows.length;
      more.textContent = "Show more (" + (n - rows.length) + ")";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (res.facets) renderFacets(res.facets);
      syncFilters();
      clearTimeout(speak);
      speak = setTimeout(function () { live.textContent = msg; }, 200);
    }
    function open(on) {
      if (on === !panel.hidden) return;
      panel.hidden = !on;
      if (!on) filtersOpen = false;
      syncFilters();
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
    /* On a narrow screen the filters are folded under the results; the Filters button unfolds them
     * (search.css keys on its aria-expanded), so the first tap shows them, not a list to scroll past. */
    var narrow = window.matchMedia ? window.matchMedia("(max-width: 900px)") : null, filtersOpen = false;
    function syncFilters() {
      if (!btn) return;
      if (narrow && narrow.matches) btn.setAttribute("aria-expanded", String(filtersOpen && !panel.hidden));
      else btn.removeAttribute("aria-expanded");
      var on = fkeys().reduce(function (n, k) { return n + (state.filters[k] || []).length; }, 0);
      btn.setAttribute("aria-label", on ? "Filters, " + on + " on" : "Filters");
    }
    if (narrow) {
      if (narrow.addEventListener) narrow.addEventListener("change", syncFilters); else narrow.addListener(syncFilters);
    }
    syncFilters();
    function focusFilter() {
      var cb = facetBox.querySelector("li:not([hidden]) input");
      if (cb) cb.focus();
    }
    if (btn) btn.addEventListener("click", function () {
      if (narrow && narrow.matches) {
        if (panel.hidden) {
          filtersOpen = true;
          state.browse = true;
          run().then(function () { syncFilters(); focusFilter(); });
          return;
        }
        filtersOpen = !filtersOpen;
        syncFilters();
        if (filtersOpen) focusFilter();
        return;
      }
      if (panel.hidden) { state.browse = true; run(); return; }
      focusFilter();
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
