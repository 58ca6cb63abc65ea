/* agentkb default theme: the search ENGINE. It loads the index written at build time (format:
 * include/agentkb/search.h; classic scripts under search/ calling __akbSearchLoad), decodes it,
 * tokenizes queries as the C side does, ranks (BM25F impacts, stems, prefixes, typos, Chinese
 * bigrams, synonyms) and counts facets. Pure logic, no DOM: it is kept apart from the page UI
 * (search.js) so that node runs it as it is (tests/search, scripts/bench-search*.mjs) and the
 * ranking can change without touching the page. Defines window.AgentkbSearch; pages load it
 * before search.js, which waits for it if it comes second. */
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
  /* The 24 bits of the base64 group at character p of s. */
  function b64group(s, p) {
    return B64[s.charCodeAt(p)] << 18 | B64[s.charCodeAt(p + 1)] << 12 | B64[s.charCodeAt(p + 2)] << 6 |
      B64[s.charCodeAt(p + 3)];
  }
  /* Bytes [from, to) of the data that `s` encodes, decoding only those. */
  function b64(s, from, to) {
    from = from || 0;
    if (to == null) to = b64size(s);
    var n = Math.max(0, to - from), out = new Uint8Array(n), g = Math.floor(from / 3), o = 0, skip = from - g * 3;
    var p = g * 4, v, k;
    /* A partial group first, then three bytes at a time (the hot loop of postings), then the tail. */
    if (skip && n) {
      v = b64group(s, p);
      p += 4;
      for (k = skip; k < 3 && o < n; k++) out[o++] = v >> (16 - 8 * k) & 255;
    }
    for (; o + 3 <= n; o += 3) {
      v = b64group(s, p);
      p += 4;
      out[o] = v >> 16;
      out[o + 1] = v >> 8 & 255;
      out[o + 2] = v & 255;
    }
    if (o < n) {
      v = b64group(s, p);
      for (k = 0; o < n; k++) out[o++] = v >> (16 - 8 * k) & 255;
    }
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
  function startsWith(t, p) { return t.lastIndexOf(p, 0) === 0; }

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

  /* ---- The index files. An engine's state `e`: the files asked for, the decoded shards and
   * postings, cached rankings, the display rows that solo shards carried, base.js's data (N
   * documents, the shard directory `dir`, which shards are solo) and, once asked for, the facets. ---- */
  function newState(opt) {
    return { opt: opt, files: new Map(), shards: new Map(), posts: new Map(), texts: new Map(), known: new Map(),
      base: null, N: 0, dir: null, solo: "", facets: null, syn: null };
  }
  /* The data of one index file, requested once (again after a failure). */
  function get(e, kind, id) {
    var key = kind + id;
    if (!e.files.has(key)) {
      var p = Promise.resolve().then(function () { return e.opt.load(kind, id); });
      p.catch(function () { e.files.delete(key); });
      e.files.set(key, p);
    }
    return e.files.get(key);
  }
  function ready(e) {
    return get(e, "base", 0).then(function (b) {
      if (!e.base) {
        e.base = b; e.N = b.n; e.dir = b.shards.split("\n"); e.solo = b.solo || "";
        e.ids = b.ids ? b.ids.split("\n") : null; /* shard k's file name: t<ids[k]>.js (else t<k>.js) */
      }
      return e.base;
    });
  }
  function shardOf(e, t) { return Math.max(0, lowerBound(e.dir, t + "\0") - 1); }
  /* The shards holding the terms that start with p. */
  function range(e, p) {
    var out = [];
    for (var k = shardOf(e, p), z = shardOf(e, p + "\uffff"); k <= z; k++) out.push(k);
    return out;
  }
  /* May shard k hold a term that passes `ok`? A solo shard's one term is in the directory. */
  function may(e, k, ok) { return e.solo.charCodeAt(k) !== 49 || ok(e.dir[k]); }
  function shard(e, k) {
    if (e.shards.has(k)) return Promise.resolve(e.shards.get(k));
    return get(e, "t", e.ids ? e.ids[k] : k).then(function (d) {
      if (!e.shards.has(k)) keepShard(e, k, d);
      return e.shards.get(k);
    });
  }
  /* A term shard's terms, where each term's postings start in `post`, and (solo shards) the
   * display rows of its term's best documents: no chunk to wait for. */
  function keepShard(e, k, d) {
    var terms = d.terms ? d.terms.split("\n") : [], size = varints(b64(d.size));
    var off = new Uint32Array(terms.length + 1);
    for (var i = 0; i < terms.length; i++) off[i + 1] = off[i] + size[i];
    e.shards.set(k, { terms: terms, off: off, post: d.post });
    (d.rows || []).forEach(function (r) { e.known.set(r[0], r.slice(1)); });
  }
  /* Postings of one term, decoded on first use: doc ids, best impact first (search.h), and their
   * groups: docs[gend[g - 1] .. gend[g]) have impact gq[g]. */
  function postings(e, sh, i) {
    var term = sh.terms[i], hit = e.posts.get(term);
    if (hit) return hit;
    var by = b64(sh.post, sh.off[i], sh.off[i + 1]), p = 0, v, m, b;
    function next() { v = 0; m = 1; do { b = by[p++]; v += (b & 127) * m; m *= 128; } while (b & 128); return v; }
    var df = next(), docs = new Uint32Array(df), gq = [], gend = [], j = 0, d, end;
    while (j < df && p < by.length) {
      gq.push(by[p++]);
      end = j + next();
      for (d = 0; j < end; j++) {
        b = by[p++];
        if (b < 128) d += b; else { p--; d += next(); }
        docs[j] = d;
      }
      gend.push(j);
    }
    hit = { df: df, docs: docs, gq: gq, gend: gend, idf: Math.log(1 + (e.N - df + 0.5) / (df + 0.5)) };
    e.posts.set(term, hit);
    return hit;
  }

  /* ---- Parsing. A query is a list of units: a Latin word, or a run of Chinese (CJK) characters.
   * A unit matches when one of its alternatives does: its own words, or the other members of a
   * synonym group it belongs to. An alternative is a list of atoms, each one lookup in the index (a
   * word and its family, or a bigram), and needs `need` of them: all for words, most for a Chinese
   * run's bigrams (computed once the index says which bigrams exist). A unit of stop words, or of a
   * word most documents have, is optional: it ranks, and never excludes. ---- */

  /* The synonym table of base.js, keyed by a member's tokens ("machine learning") or, for Chinese
   * members, its characters (matched inside a run: 写单元测试 holds 测试), longest first. */
  function synonyms(e) {
    if (e.syn) return e.syn;
    var latin = new Map(), cjk = [];
    (e.base.syn || []).forEach(function (group, g) {
      group.forEach(function (m) {
        var t = tokenize(m);
        if (!t.length) return;
        if (isCJK(m.codePointAt(0))) cjk.push({ key: m, g: g });
        else latin.set(t.join(" "), g);
      });
    });
    cjk.sort(function (x, y) { return y.key.length - x.key.length; });
    e.syn = { latin: latin, cjk: cjk, groups: e.base.syn };
    return e.syn;
  }
  /* parse(query) -> {units, atoms}: see above. `pq` is the query being built: its text, whether its
   * last word is still being typed (`open`), its atoms by key, and its units. */
  function parse(e, q) {
    q = q || "";
    var open = q.length > 0 && !/\s$/.test(q);
    var pq = { q: q, open: open, syn: synonyms(e), atoms: new Map(), units: [] }, segs = segments(q, open);
    for (var si = 0; si < segs.length && pq.units.length < MAX_WORDS; si++) {
      if (segs[si].cjk) cjkUnits(pq, segs[si]);
      else si += latinUnit(pq, segs, si) - 1;
    }
    return { units: pq.units, atoms: Array.from(pq.atoms.values()) };
  }
  /* The query as segments: a Latin word {t, e}, or a run of Chinese {cjk, s, e, pieces, lastOpen}. */
  function segments(q, open) {
    var segs = [];
    spans(q).forEach(function (x) {
      var last = segs[segs.length - 1];
      if (isCJK(x.t.codePointAt(0))) {
        if (last && last.cjk && x.s < last.e) last.e = x.e; else segs.push({ cjk: true, s: x.s, e: x.e });
      } else segs.push({ t: x.t, e: x.e });
    });
    segs.forEach(function (seg, si) {
      if (!seg.cjk) return;
      seg.pieces = cjkPieces(q.slice(seg.s, seg.e));
      seg.lastOpen = si === segs.length - 1 && open && seg.e === q.length;
    });
    return segs;
  }
  /* A Chinese run cut at filler; a role at the end of a piece is a piece of its own, {role}. */
  function cjkPieces(text) {
    var pieces = [];
    text.split(ZH_FILLER).filter(Boolean).forEach(function (run) {
      var m = ZH_ROLE.exec(run);
      if (m && m.index > 1) pieces.push(run.slice(0, m.index), { role: m[1] });
      else pieces.push(run);
    });
    return pieces;
  }
  /* The atom of a word or bigram; open: the word being typed (its completions match); typo: within one edit. */
  function atom(pq, word, o) {
    var key = word + (o && o.open ? "*" : "") + (o && o.typo ? "~" : "");
    var a = pq.atoms.get(key);
    if (!a) pq.atoms.set(key, a = { t: word, words: [word], open: !!(o && o.open), typo: !!(o && o.typo), id: pq.atoms.size });
    return a;
  }
  /* An atom of a synonym: any one of `words`, never counted as rarer than the unit's own words
   * (`cap`, a list of atoms), so a rare synonym cannot outrank the word the reader typed. */
  function synAtom(pq, words, cap) {
    var key = "{" + words.join("|") + "}" + cap.map(function (c) { return c.id; }).join(","), a = pq.atoms.get(key);
    if (!a) pq.atoms.set(key, a = { t: words[0], words: words, open: false, typo: false, id: pq.atoms.size, cap: cap });
    return a;
  }
  /* The bigrams of a Chinese run, each knowing its neighbours (nb); one character is its own (open) atom. */
  function bigrams(pq, run, lastOpen) {
    var cp = Array.from(run), out = [];
    if (cp.length === 1) return [atom(pq, cp[0], { open: lastOpen })];
    for (var i = 0; i + 1 < cp.length; i++) out.push(atom(pq, cp[i] + cp[i + 1]));
    out.forEach(function (x, j) {
      x.nb = x.nb || [];
      if (j > 0) x.nb.push(out[j - 1].id);
      if (j + 1 < out.length) x.nb.push(out[j + 1].id);
    });
    return out;
  }
  /* The alternative a synonym member gives: its words, or its bigrams, capped by the unit's own atoms. */
  function member(pq, m, cap) {
    var cjk = isCJK(m.codePointAt(0));
    return { atoms: tokenize(m).map(function (t) { return synAtom(pq, [t], cap); }), cjk: cjk, w: W_SYN, opt: [] };
  }
  /* A group's English words for a member found inside a Chinese run: its one-word members (any of
   * them: "test", "testing"), else the words of its first phrase ("unit", "test"), one atom each. */
  function memberWords(group) {
    var latin = group.filter(function (m) { return !isCJK(m.codePointAt(0)); }).map(tokenize);
    var one = latin.filter(function (t) { return t.length === 1; }).map(function (t) { return t[0]; });
    if (one.length) return [one];
    return latin.length ? latin[0].map(function (t) { return [t]; }) : [];
  }
  /* Adds to `alts` an alternative for every other member of synonym group g. */
  function withGroup(pq, alts, g, self) {
    pq.syn.groups[g].forEach(function (m) {
      if (tokenize(m).join(" ") !== self && m !== self) alts.push(member(pq, m, alts[0].atoms));
    });
    return alts;
  }
  /* The units of one Chinese segment: one a piece, while there is room. */
  function cjkUnits(pq, seg) {
    seg.pieces.forEach(function (piece, pi) {
      if (pq.units.length >= MAX_WORDS) return;
      pq.units.push(cjkUnit(pq, piece, seg.lastOpen && pi === seg.pieces.length - 1));
    });
  }
  function cjkUnit(pq, piece, lastOpen) {
    var role = typeof piece === "object", run = role ? piece.role : piece;
    var own = { atoms: bigrams(pq, run, lastOpen), cjk: true, w: 1, opt: [] };
    var verb = own.atoms.length > 1 && ZH_VERB.test(run), core = verb ? run.slice(1) : run;
    if (verb) own.opt[0] = 1;
    var alts = [own], exact = pq.syn.cjk.filter(function (s) { return s.key === core; });
    if (exact.length) exact.forEach(function (s) { withGroup(pq, alts, s.g, core); });
    else {
      var alt = runWithMembersReplaced(pq, run, core, verb, own);
      if (alt) alts.push(alt);
    }
    return { alts: alts, stop: role };
  }
  /* Members found inside the run, longest first, not overlapping ("安卓开发" holds 安卓): one more
   * alternative, the run with those members replaced by their words (android 开发); null if none. */
  function runWithMembersReplaced(pq, run, core, verb, own) {
    var used = membersInside(pq, core, verb ? 1 : 0, own.atoms);
    if (!used.length) return null;
    var cps = Array.from(run), parts = used.map(function (u) { return { at: u.s, atoms: u.atoms }; });
    for (var bi = 0; bi + 1 < cps.length; bi++) {
      if (used.every(function (u) { return bi + 2 <= u.s || bi >= u.e; })) parts.push({ at: bi, atoms: [own.atoms[bi]], opt: verb && bi === 0 });
    }
    parts.sort(function (x, y) { return x.at - y.at; });
    var alt = { atoms: [], cjk: true, w: W_SYN, opt: [] };
    parts.forEach(function (x) {
      x.atoms.forEach(function (y) { if (x.opt) alt.opt[alt.atoms.length] = 1; alt.atoms.push(y); });
    });
    return alt;
  }
  /* Where synonym members stand in `core` (characters from `off` in the run): [{s, e, atoms}]. */
  function membersInside(pq, core, off, cap) {
    var used = [];
    pq.syn.cjk.forEach(function (s) {
      var at = Array.from(core.slice(0, Math.max(0, core.indexOf(s.key)))).length + off, len = Array.from(s.key).length;
      if (core.indexOf(s.key) < 0 || used.some(function (u) { return at < u.e && u.s < at + len; })) return;
      var ws = memberWords(pq.syn.groups[s.g]);
      if (ws.length) used.push({ s: at, e: at + len, atoms: ws.map(function (w) { return synAtom(pq, w, cap); }) });
    });
    return used;
  }
  /* A synonym of two or three words ("machine learning") starting at segment si: {g, span}, or null. */
  function synonymPhrase(pq, segs, si) {
    for (var len = 3; len >= 2; len--) {
      var ws = segs.slice(si, si + len);
      if (ws.length !== len || !ws.every(function (x) { return !x.cjk; })) continue;
      var k = ws.map(function (x) { return x.t; }).join(" ");
      if (pq.syn.latin.has(k)) return { g: pq.syn.latin.get(k), span: len };
    }
    return null;
  }
  /* The unit of the Latin word at segment si (or of the synonym phrase starting there); returns
   * how many segments it took. */
  function latinUnit(pq, segs, si) {
    var phrase = synonymPhrase(pq, segs, si), span = phrase ? phrase.span : 1, end = segs[si + span - 1];
    var typing = si + span === segs.length && pq.open && end.e === pq.q.length, t = segs[si].t, alts;
    if (phrase) {
      var words = segs.slice(si, si + span).map(function (x) { return x.t; });
      var own = words.map(function (w, j) { return atom(pq, w, { open: typing && j === span - 1 }); });
      alts = withGroup(pq, [{ atoms: own, cjk: false, w: 1, opt: [] }], phrase.g, words.join(" "));
    } else {
      alts = [{ atoms: [atom(pq, t, { open: typing, typo: latinWord(t) && !STOP[t] })], cjk: false, w: 1, opt: [] }];
      if (pq.syn.latin.has(t)) withGroup(pq, alts, pq.syn.latin.get(t), t);
    }
    pq.units.push({ alts: alts, stop: !phrase && !!STOP[t] && !typing });
    return span;
  }

  /* ---- Lookup: which shards and index terms each atom needs. ---- */
  /* Shards a word needs: its own; its stem family's range (c.sk); the completions of the word being
   * typed (c.pk); its typo range (c.tk); each at most MAX_RANGE shards (MAX_STEM_RANGE for stems).
   * Solo shards whose one term cannot match are left out: most of a typo range, at 10,000 agents,
   * is big terms sharing the first two letters. */
  function need(e, c) {
    var out = [];
    c.ranges = c.words.map(function (w) {
      var r = { pk: c.open ? prefixShards(e, w) : [], sk: stemShards(e, w), tk: c.typo ? typoShards(e, w) : [] };
      var own = shardOf(e, w);
      if (may(e, own, function (t) { return t === w; })) out.push(own);
      out.push.apply(out, r.pk.concat(r.sk, r.tk));
      return r;
    });
    return out;
  }
  /* Short prefixes match much and are soon typed past: fewer shards (2, 4, then 8). */
  function prefixShards(e, w) {
    return range(e, w).filter(function (k) {
      return may(e, k, function (t) { return startsWith(t, w); });
    }).slice(0, Math.min(MAX_RANGE, 1 << Array.from(w).length));
  }
  function stemShards(e, w) {
    if (!/^[a-z]{4,}$/.test(w)) return [];
    var s = stem(w);
    return range(e, s).filter(function (k) {
      return may(e, k, function (t) { return stem(t) === s; });
    }).slice(0, MAX_STEM_RANGE);
  }
  function typoShards(e, w) {
    var cp = Array.from(w), p2 = cp.slice(0, 2).join("");
    function ok(k) { return may(e, k, function (t) { return startsWith(t, p2) && t !== w && near(w, t); }); }
    var r = range(e, p2).filter(ok);
    if (r.length <= MAX_RANGE) return r;
    /* Too wide: edits from the third letter on, and deleting or swapping the third. */
    var set = new Set(range(e, cp.slice(0, 3).join("")).filter(ok).slice(0, MAX_RANGE));
    [cp.slice(0, 2).concat(cp.slice(3)), cp.slice(0, 2).concat(cp[3], cp[2], cp.slice(4))].forEach(function (x) {
      var k = shardOf(e, x.join(""));
      if (ok(k)) set.add(k);
    });
    return Array.from(set).sort(function (x, y) { return x - y; });
  }
  /* Index terms a query atom matches: [{sh, i, term, w, idf}], the best way per term. A term that is
   * not the word itself never counts as rarer than the word: a completion or a typo of "sql" must
   * not outrank "sql" because "sqlalchemy" is rare. */
  function candidates(e, c) {
    var found = new Map(), exactIdf = 0, cap = 0;
    /* A synonym's terms: no rarer than the rarest term of the unit's own words. */
    (c.cap || []).forEach(function (o) { if (o.idf > cap) cap = o.idf; });
    c.words.forEach(function (w, wi) {
      var rg = c.ranges[wi];
      exactIdf = Math.max(exactIdf, addExact(e, found, w));
      addStems(e, found, w, rg.sk);
      if (c.open) addCompletions(e, found, w, rg.pk);
      if (c.typo) addTypos(e, found, w, rg.tk);
    });
    var out = Array.from(found.values()).map(function (x) {
      var p = postings(e, x.sh, x.i);
      x.df = p.df;
      x.idf = x.w < W_EXACT && exactIdf ? Math.min(p.idf, exactIdf) : p.idf;
      if (cap) x.idf = Math.min(x.idf, cap);
      return x;
    });
    c.idf = out.reduce(function (m, x) { return Math.max(m, x.idf); }, 0);
    return out;
  }
  /* Term i of shard sh matched with weight w, unless it was found a better way already. */
  function addFound(found, sh, i, w) {
    var t = sh.terms[i], old = found.get(t);
    if (!old || old.w < w) found.set(t, { sh: sh, i: i, term: t, w: w, size: sh.off[i + 1] - sh.off[i] });
  }
  /* Calls fn(shard, i, term) for the terms starting with p in shards ks. */
  function eachWithPrefix(e, p, ks, fn) {
    ks.forEach(function (k) {
      var sh = e.shards.get(k);
      if (!sh) return;
      for (var i = lowerBound(sh.terms, p); i < sh.terms.length; i++) {
        var t = sh.terms[i];
        if (!startsWith(t, p)) { if (t > p) break; continue; }
        fn(sh, i, t);
      }
    });
  }
  /* The `max` terms of `list` with the most postings. */
  function addLargest(found, list, max) {
    list.sort(function (x, y) { return y.size - x.size; }).slice(0, max).forEach(function (x) { addFound(found, x.sh, x.i, x.w); });
  }
  function more(sh, i, w) { return { sh: sh, i: i, w: w, size: sh.off[i + 1] - sh.off[i] }; }
  /* The word itself; returns its idf (0: not in the index). */
  function addExact(e, found, w) {
    var sh = e.shards.get(shardOf(e, w)), i = sh ? lowerBound(sh.terms, w) : 0;
    if (!sh || sh.terms[i] !== w) return 0;
    addFound(found, sh, i, W_EXACT);
    return postings(e, sh, i).idf;
  }
  function addStems(e, found, w, ks) {
    var s = stem(w);
    eachWithPrefix(e, s, ks, function (sh, i, t) { if (t !== w && stem(t) === s) addFound(found, sh, i, W_STEM); });
  }
  function addCompletions(e, found, w, ks) {
    var list = [];
    eachWithPrefix(e, w, ks, function (sh, i, t) { if (t !== w) list.push(more(sh, i, W_PREFIX)); });
    addLargest(found, list, MAX_PREFIX);
  }
  function addTypos(e, found, w, ks) {
    var list = [];
    eachWithPrefix(e, Array.from(w).slice(0, 2).join(""), ks, function (sh, i, t) {
      if (t !== w && !found.has(t) && near(w, t)) list.push(more(sh, i, W_TYPO));
    });
    addLargest(found, list, MAX_TYPO);
  }

  /* ---- Ranking. A first query runs cold (interpreted) code, where a loop over 10,000 documents
   * costs about a millisecond: ranking keeps such loops few and leaves sorting to native
   * typed-array code. ---- */
  /* Integer score of each impact byte for a term matched with weight w and inverse document frequency idf. */
  function table(w, idf) {
    var tab = new Int32Array(256), f = w * idf * SCALE;
    for (var q = 0; q < 256; q++) tab[q] = Math.max(1, Math.round(f * IMPACT[q]));
    return tab;
  }
  /* One index term for the whole query (the usual first query): the postings are in its ranking's order. */
  function single(e, x) {
    var p = postings(e, x.sh, x.i), tab = table(x.w, x.idf), score = new Int32Array(p.df);
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
  function maxOf(arr, ids, n) {
    for (var m = 0, i = 0; i < n; i++) if (arr[ids[i]] > m) m = arr[ids[i]];
    return m;
  }
  /* Ranked doc ids for a parsed query (cached): the documents that match every required unit, or,
   * when fewer than THIN do, every document matching some, by score alone (so a rare word counts
   * for more than two common ones). */
  function text(e, pq) {
    var key = JSON.stringify(pq.units), hit = e.texts.get(key);
    if (hit) return hit;
    var terms = [], cands = pq.atoms.map(function (c) {
      var x = candidates(e, c);
      x.forEach(function (y) { terms.push(y.term); });
      return x;
    });
    capStraddlingBigrams(pq.atoms, cands);
    var r = score(e, pq.units, pq.atoms, cands);
    hit = { ids: Array.from(r.ids), mode: r.or ? "or" : "and", terms: terms, score: r.score };
    e.texts.set(key, hit);
    if (e.texts.size > CACHE) e.texts.delete(e.texts.keys().next().value);
    return hit;
  }
  /* An inner bigram rarer than both its neighbours in the run most likely straddles two words (理客
   * in 处理客户投诉 is "处理" then "客户"): it counts no more than the rarer neighbour. */
  function capStraddlingBigrams(atoms, cands) {
    var raw = atoms.map(function (c) { return c.idf || 0; });
    atoms.forEach(function (c, k) {
      var nb = c.nb || [], m = nb.reduce(function (x, j) { return Math.max(x, raw[j]); }, 0);
      if (nb.length > 1 && nb.every(function (j) { return raw[j] > 0; }) && raw[k] > m) {
        c.idf = m;
        cands[k].forEach(function (x) { x.idf = Math.min(x.idf, m); });
      }
    });
  }
  function score(e, units, atoms, cands) {
    if (units.length === 1 && units[0].alts.length === 1 && atoms.length === 1 && cands[0].length === 1) return single(e, cands[0][0]);
    var t = atomScores(e, atoms, cands);
    if (atoms.length === 1 && units.length === 1) return rank(t.touched, t.nt, t.sc[0], maxOf(t.sc[0], t.touched, t.nt));
    setNeeds(units, cands);
    var mass = setOptional(e, units, cands), N = e.N, nt = t.nt, i, d, bits;
    var acc = new Int32Array(N), strict = new Uint32Array(nt), loose = new Uint32Array(nt), ns = 0, nl = 0, top = 0;
    for (i = 0; i < nt; i++) {
      d = t.touched[i];
      bits = scoreDoc(units, t.sc, d, mass, acc);
      if (bits & MATCH_ALL) strict[ns++] = d;
      if (bits & MATCH_SOME) loose[nl++] = d;
    }
    var or = ns < THIN && nl > ns, ids = or ? loose : strict, n = or ? nl : ns;
    for (i = 0; i < n; i++) if (acc[ids[i]] > top) top = acc[ids[i]];
    var res = rank(ids, n, acc, top);
    res.or = or;
    return res;
  }
  /* Each atom's best score per document (sc[atom][doc]), and the nt documents any atom touched. */
  function atomScores(e, atoms, cands) {
    var N = e.N, na = atoms.length, sc = new Array(na), touched = new Uint32Array(N), seen = new Uint8Array(N), nt = 0;
    var i, j, k, d, g, end, s, p, tab, docs, arr, c;
    for (k = 0; k < na; k++) {
      arr = sc[k] = new Int32Array(N);
      for (i = 0; i < cands[k].length; i++) {
        c = cands[k][i];
        p = postings(e, c.sh, c.i);
        tab = table(c.w, c.idf);
        docs = p.docs;
        for (g = 0, j = 0; g < p.gq.length; g++) {
          for (s = tab[p.gq[g]], end = p.gend[g]; j < end; j++) {
            d = docs[j];
            if (s > arr[d]) arr[d] = s;
            if (!seen[d]) { seen[d] = 1; touched[nt++] = d; }
          }
        }
      }
    }
    return { sc: sc, touched: touched, nt: nt };
  }
  /* What an alternative needs (alt.wt, a weight an atom; alt.need): every word; or, for a Chinese
   * run, most of the rarity of its bigrams that some document has (a bigram straddling two words,
   * which no document has, needs nothing). And each unit's rarity: its rarest own atom's. */
  function setNeeds(units, cands) {
    var has = cands.map(function (cs) { return cs.length > 0; });
    units.forEach(function (u) {
      u.alts.forEach(function (alt) {
        var m = 0;
        alt.wt = alt.atoms.map(function (c, x) {
          var w = alt.opt[x] || !has[c.id] ? 0 : alt.cjk ? Math.max(1, Math.round(c.idf * 1000)) : 1;
          m += w;
          return w;
        });
        alt.need = !m || (!alt.cjk && !alt.atoms.every(function (c) { return has[c.id]; })) ? Infinity :
          alt.cjk ? Math.ceil(CJK_NEED * m) : m;
      });
      u.rarity = u.alts[0].atoms.reduce(function (m, c) { return Math.max(m, c.idf || 0); }, 0);
    });
  }
  /* Which units are optional (u.optional): stop words, and single words in most documents or much
   * commoner than the query's rarest ("write", "app" beside "privacy"). A required unit weighs its
   * rarest own word (u.mass): a document matching only the rarest of three words does not beat one
   * matching all three, but one matching the two rarest may. Returns the mass of all units. */
  function setOptional(e, units, cands) {
    var df = cands.map(function (cs) {
      return cs.reduce(function (m, c) { return c.w === W_EXACT && c.df > m ? c.df : m; }, 0);
    });
    var rarest = units.reduce(function (m, u) { return u.stop ? m : Math.max(m, u.rarity); }, 0), req = 0, mass = 0;
    units.forEach(function (u) {
      var own = u.alts[0].atoms;
      u.optional = u.stop || (own.length === 1 && !u.alts[0].cjk && u.rarity > 0 &&
        (df[own[0].id] > e.N / 2 || u.rarity < COMMON * rarest));
      if (!u.optional) req++;
    });
    if (!req) units.forEach(function (u) { u.optional = false; });
    units.forEach(function (u) {
      u.mass = u.optional ? 0 : u.rarity;
      mass += u.mass;
    });
    return mass;
  }
  var MATCH_ALL = 1, MATCH_SOME = 2;
  /* Scores doc d into acc[d]; returns MATCH_ALL when it matches every required unit, MATCH_SOME when
   * it has some of one. Missing required units scale the score down by the share of mass missing. */
  function scoreDoc(units, sc, d, mass, acc) {
    var total = 0, ok = true, any = false, got = 0;
    for (var ui = 0; ui < units.length; ui++) {
      var u = units[ui];
      total += unitScore(u, sc, d);
      if (u.optional) continue;
      if (!u.hit) ok = false;
      if (u.best) { any = true; got += u.hit ? u.mass : u.mass / 2; }
    }
    acc[d] = ok || !mass ? total : Math.round(total * (0.5 + 0.5 * got / mass));
    return (ok ? MATCH_ALL : 0) | (any ? MATCH_SOME : 0);
  }
  /* The best way to match counts, and a little every other way: "machine learning" in the summary
   * and "ml" in the name beat "ml" in the name alone. Leaves u.best and u.hit (some alternative has
   * what it needs) for doc d. */
  function unitScore(u, sc, d) {
    var best = 0, others = 0, hit = false, sum;
    for (var ai = 0; ai < u.alts.length; ai++) {
      sum = altScore(u.alts[ai], sc, d);
      if (u.alts[ai].hit) hit = true;
      if (sum > best) { others += best; best = sum; } else others += sum;
    }
    u.best = best;
    u.hit = hit;
    return best + (others >> 2);
  }
  /* An alternative's score in doc d; leaves alt.hit: has d what it needs? */
  function altScore(alt, sc, d) {
    var at = alt.atoms, n = at.length, sum = 0, cnt = 0, run = 0, longest = 0, s;
    for (var k = 0; k < n; k++) {
      s = sc[at[k].id][d];
      if (s) { sum += s; cnt += alt.wt[k]; if (++run > longest) longest = run; } else run = 0;
    }
    if (alt.cjk && n > 1) {
      /* A run of n characters is some n/2 words, not n - 1: its bigrams' sum counts as that. */
      sum = Math.round(sum * (n + 1) / (2 * n));
      /* Consecutive bigrams are (almost surely) the run itself; scattered ones count less. */
      sum -= Math.round(sum * CJK_SCATTER * (n - longest) / (n - 1));
    }
    if (alt.w !== 1) sum = Math.round(sum * alt.w);
    alt.hit = cnt >= alt.need;
    return sum;
  }

  /* ---- Facets. ---- */
  /* Values of every document per facet, from facets.js. A one-value facet is read where it stands
   * (doc d's value + 1 is the number at d * w, one character for up to 63 values); for the others,
   * doc d has vals[off[d] .. off[d + 1]). */
  function facetData(e, list) {
    if (!e.facets) e.facets = e.base.facets.map(function (f, fi) { return decodeFacet(f, list[fi] || "", e.N); });
    return e.facets;
  }
  function decodeFacet(f, s, N) {
    var w = width(f.values.length), x = { key: f.key, title: f.title, values: f.values }, d, p = 0, n = 0, c;
    if (f.one) { x.one = s; x.w = w; return x; }
    var off = x.off = new Uint32Array(N + 1), vals = x.vals = new Uint32Array(Math.max(0, s.length / w - N));
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
  function filter(fs, ids, filters) {
    var act = [], sel = fs.map(function (f, fi) {
      var s = selected(f, (filters && filters[f.key]) || []);
      if (s.any) act.push(fi);
      return s.on;
    });
    var counts = fs.map(function (f) { return new Uint32Array(f.values.length); });
    var keep = act.length ? filterAndCount(fs, ids, sel, act, counts) : (countAll(fs, ids, counts), null);
    return {
      keep: keep,
      facets: fs.map(function (f, fi) {
        return { key: f.key, title: f.title, values: f.values.map(function (v, x) {
          return { value: v, count: counts[fi][x], selected: !!sel[fi][x] };
        }) };
      }),
    };
  }
  /* The values of facet f that `want` selects: {on: a byte a value, any}. */
  function selected(f, want) {
    var on = new Uint8Array(f.values.length), any = false;
    want.forEach(function (v) { var x = f.values.indexOf(v); if (x >= 0) { on[x] = 1; any = true; } });
    return { on: on, any: any };
  }
  /* No filter (the usual case): one tight pass per facet. */
  function countAll(fs, ids, counts) {
    for (var k = 0; k < fs.length; k++) {
      var f = fs[k], c = counts[k], i, d, str;
      if (f.one && f.w === 1) {
        for (str = f.one, i = 0; i < ids.length; i++) { d = B64[str.charCodeAt(ids[i])]; if (d) c[d - 1]++; }
      } else for (i = 0; i < ids.length; i++) add(f, c, ids[i]);
    }
  }
  /* With filters on (facets act): the positions of the ids they keep; a doc missed by one filter
   * only still counts in that facet. */
  function filterAndCount(fs, ids, sel, act, counts) {
    var keep = [], i, k, d, miss, n;
    for (i = 0; i < ids.length; i++) {
      d = ids[i];
      miss = -1;
      n = 0;
      for (k = 0; k < act.length && n < 2; k++) if (!has(fs[act[k]], sel[act[k]], d)) { miss = act[k]; n++; }
      if (n === 0) keep.push(i);
      if (n > 1) continue;
      for (k = 0; k < fs.length; k++) if (n === 0 || k === miss) add(fs[k], counts[k], d);
    }
    return keep;
  }

  /* ---- The API of an engine. ---- */
  /* search(query, {filters: {key: [value, ...]}, counts: true}) -> Promise of {query, words,
   * mode: "all"|"and"|"or", total, ids (ranked, filtered), scores (aligned with ids; null for "all"),
   * facets, terms, prefixes}. With counts: false and no filter, facets is null and facets.js is not
   * waited for: a page shows the results first and asks again (the ranking is cached) for the counts. */
  function search(e, q, o) {
    o = o || {};
    return ready(e).then(function () {
      var pq = parse(e, q || ""), f = o.filters || {};
      var counts = o.counts !== false || e.base.facets.some(function (x) { return f[x.key] && f[x.key].length; });
      return Promise.all(filesFor(e, pq, counts)).then(function () {
        var t = pq.units.length ? text(e, pq) : everyDoc(e.N);
        var r = counts ? filter(e.facets, t.ids, o.filters) : { keep: null, facets: null }, kept = keepRows(t, r.keep);
        return result(q, pq.atoms, t, kept, r.facets);
      });
    });
  }
  /* The files a parsed query waits for: its term shards, and facets.js when counts are wanted. */
  function filesFor(e, pq, counts) {
    var ks = new Set();
    pq.atoms.forEach(function (c) { need(e, c).forEach(function (k) { ks.add(k); }); });
    var wait = Array.from(ks).map(function (k) { return shard(e, k); });
    if (counts) wait.push(get(e, "facets", 0).then(function (list) { return facetData(e, list); }));
    return wait;
  }
  /* The ranking of an empty query: every document, in order. */
  function everyDoc(N) {
    return { ids: Array.from({ length: N }, function (_, x) { return x; }), mode: "all", terms: [] };
  }
  /* The ids (and scores) of ranking t at the positions `keep` (null: all). */
  function keepRows(t, keep) {
    var ids = t.ids.slice(), sc = t.score, x, n;
    if (keep) {
      n = ids.length = keep.length;
      if (sc) sc = new Int32Array(n);
      for (x = 0; x < n; x++) {
        ids[x] = t.ids[keep[x]];
        if (sc) sc[x] = t.score[keep[x]];
      }
    }
    return { ids: ids, score: sc };
  }
  function result(q, atoms, t, kept, facets) {
    var res = {
      query: q, words: atoms, mode: t.mode, total: kept.ids.length, ids: kept.ids, facets: facets, terms: t.terms,
      prefixes: atoms.filter(function (c) { return c.open; }).map(function (c) { return c.t; }),
    };
    /* BM25F scores aligned with ids (null for "all"), computed when asked for: pages never do. */
    var scores, sc = kept.score;
    Object.defineProperty(res, "scores", { enumerable: true, get: function () {
      if (scores === undefined) {
        scores = sc ? new Float64Array(sc.length) : null;
        for (var x = 0; sc && x < sc.length; x++) scores[x] = sc[x] / SCALE;
      }
      return scores;
    } });
    return res;
  }
  /* Display data of docs: [{id, name, url, department, category, model, text, qualifier, install}],
   * loading their chunks. */
  function docs(e, ids) {
    return ready(e).then(function () {
      return Promise.all(ids.map(function (d) {
        if (e.known.has(d)) return docRow(d, e.known.get(d));
        return get(e, "d", Math.floor(d / e.base.chunk)).then(function (rows) { return docRow(d, rows[d % e.base.chunk]); });
      }));
    });
  }
  function docRow(d, r) {
    return { id: d, name: r[0], url: r[1], department: r[2], category: r[3], model: r[4], text: r[5], qualifier: r[6] || "",
      install: r.length > 7 ? { path: r[7], raw: r[8], dir: r[9] } : null };
  }
  /* Loads base.js (and with `all`, facets.js) ahead of a first query. */
  function warm(e, all) {
    return ready(e).then(function () {
      return all ? get(e, "facets", 0).then(function (list) { return facetData(e, list); }) : null;
    });
  }
  /* The engine: createEngine({load}) where load(kind, id) -> Promise of the data a file hands to
   * __akbSearchLoad ("base", 0 / "facets", 0 / "t", k / "d", c). Returns {ready, search, docs, parse,
   * warm}. Files are requested once each; postings are decoded per term on first use; facets.js
   * only when counts or filters are asked for. */
  function createEngine(opt) {
    var e = newState(opt);
    return {
      ready: function () { return ready(e); },
      search: function (q, o) { return search(e, q, o); },
      docs: function (ids) { return docs(e, ids); },
      parse: function (q) { return parse(e, q); },
      warm: function (all) { return warm(e, all); },
    };
  }

  /* ---- Marking matches (HTML strings; the page puts them in). ---- */
  function esc(s) {
    return s.replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }
  /* Merged [start, end) ranges of the tokens of `text` that the result matched. */
  function matches(text, res) {
    var set = new Set(res.terms), pre = res.prefixes || [], out = [];
    spans(text).forEach(function (x) {
      if (!set.has(x.t) && !pre.some(function (p) { return startsWith(x.t, p); })) return;
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
      var s = Math.max(m[0], p), end = Math.min(m[1], to);
      if (s >= end) return;
      html += esc(text.slice(p, s)) + "<mark>" + esc(text.slice(s, end)) + "</mark>";
      p = end;
    });
    html += esc(text.slice(p, to));
    return (from > 0 ? "…" : "") + html + (to < text.length ? "…" : "");
  }

  var API = {
    createEngine: createEngine, tokenize: tokenize, spans: spans, lower: lower, isCJK: isCJK, isWord: isWord,
    b64: b64, varints: varints, digits: digits, width: width, near: near, stem: stem, highlight: highlight, esc: esc,
    version: 3,
  };
  G.AgentkbSearch = API;
  /* The page UI (search.js) may have run first (both are loaded async): it left a callback. */
  var waiting = G.__akbSearchOnEngine;
  if (typeof waiting === "function") {
    G.__akbSearchOnEngine = null;
    waiting(API);
  }
})(typeof window !== "undefined" ? window : globalThis);
