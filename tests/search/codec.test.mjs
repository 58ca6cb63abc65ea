// Decoding (base64 ranges, LEB128 varints), the tokenizer's rules, and the
// edit-distance-1 test, in node against themes/default/static/search-engine.js.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AgentkbSearch as S, encodeDigits, encodeVarints } from "./lib.mjs";

const arr = (x) => Array.from(x);

test("varints: LEB128, 7 bits per byte, low first", () => {
  const values = [0, 1, 127, 128, 255, 300, 16383, 16384, 2 ** 21, 2 ** 28 - 1, 2 ** 31 + 5, 2 ** 35 + 3];
  assert.deepEqual(arr(encodeVarints([300])), [0xac, 0x02]);
  assert.deepEqual(arr(S.varints(Uint8Array.from([0xac, 0x02, 0x00, 0x7f, 0x80, 0x01]))), [300, 0, 127, 128]);
  assert.deepEqual(arr(S.varints(Uint8Array.from(encodeVarints(values)))), values);
  assert.deepEqual(arr(S.varints(new Uint8Array(0))), []);
});

test("fixed-width base-64 digits (facets.js): width from the largest number, most significant first", () => {
  assert.deepEqual([0, 1, 63, 64, 4095, 4096, 262143, 262144].map(S.width), [1, 1, 1, 2, 2, 3, 3, 4]);
  assert.equal(encodeDigits([0, 1, 2, 63], 8), "ABC/");
  assert.deepEqual(S.digits("ABC/", 1), [0, 1, 2, 63]);
  assert.equal(encodeDigits([64, 0, 4095], 100), "BAAA//");
  assert.deepEqual(S.digits("BAAA//", 2), [64, 0, 4095]);
  const values = [0, 5, 63, 64, 999, 4095, 4096, 200000];
  assert.deepEqual(S.digits(encodeDigits(values, 200000), 3), values);
  assert.deepEqual(S.digits("", 2), []);
});

test("base64: standard alphabet with padding, whole and by byte range", () => {
  assert.deepEqual(arr(S.b64("")), []);
  assert.deepEqual(arr(S.b64("QQ==")), [65]);
  assert.deepEqual(arr(S.b64("QUI=")), [65, 66]);
  assert.deepEqual(arr(S.b64("QUJD")), [65, 66, 67]);
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 256;
  for (const n of [1, 2, 3, 4, 5, 31, 64, 100]) {
    const bytes = Uint8Array.from({ length: n }, rnd);
    const s = Buffer.from(bytes).toString("base64");
    assert.deepEqual(arr(S.b64(s)), arr(bytes), `length ${n}`);
    for (let a = 0; a <= n; a++) {
      for (let b = a; b <= n; b++) assert.deepEqual(arr(S.b64(s, a, b)), arr(bytes.slice(a, b)), `${n}: [${a},${b})`);
    }
  }
  // Every byte value, including the ones whose encoding uses + and /.
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(arr(S.b64(Buffer.from(all).toString("base64"))), arr(all));
});

test("tokenizer: lower-cased runs of word characters", () => {
  const t = (s) => arr(S.tokenize(s));
  assert.deepEqual(t("Hello, World! k8s_v2 foo-bar"), ["hello", "world", "k8s", "v2", "foo", "bar"]);
  assert.deepEqual(t("ÉCOLE Straße ŁĄKA"), ["école", "straße", "łąka"]);
  assert.deepEqual(t("ПРИВЕТ Ёж ΑΘΗΝΑ"), ["привет", "ёж", "αθηνα"]);
  assert.deepEqual(t("ＡＢＣ１２"), ["ａｂｃ１２"]);
  assert.deepEqual(t("a🙂b ✓ c"), ["a", "b", "c"]);
  assert.deepEqual(t(""), []);
  assert.deepEqual(t(" \t\n"), []);
});

test("tokenizer: CJK runs give bigrams, one character alone is a token, script changes cut tokens", () => {
  const t = (s) => arr(S.tokenize(s));
  assert.deepEqual(t("API网关设计"), ["api", "网关", "关设", "设计"]);
  assert.deepEqual(t("缓"), ["缓"]);
  assert.deepEqual(t("a缓b"), ["a", "缓", "b"]);
  assert.deepEqual(t("慢查询，缓存。"), ["慢查", "查询", "缓存"]);
  assert.deepEqual(t("カタカナ"), ["カタ", "タカ", "カナ"]);
  assert.deepEqual(t("한국어 텍스트"), ["한국", "국어", "텍스", "스트"]);
  assert.deepEqual(t("𠀀𠀁"), ["𠀀𠀁"]);
});

test("tokenizer: non-CJK tokens are cut to 32 code points; spans cover the source", () => {
  const long = "a".repeat(40);
  assert.deepEqual(arr(S.tokenize(long + " b")), ["a".repeat(32), "b"]);
  const sp = arr(S.spans("Go 缓存策略 ok"));
  assert.deepEqual(sp.map((x) => [x.t, x.s, x.e]), [["go", 0, 2], ["缓存", 3, 5], ["存策", 4, 6], ["策略", 5, 7], ["ok", 8, 10]]);
  // Lone surrogates are not word characters (they are U+FFFD once in UTF-8).
  assert.deepEqual(arr(S.tokenize("a\ud800b")), ["a", "b"]);
});

test("edit distance 1: insert, delete, substitute, transpose", () => {
  assert.ok(S.near("kubernetes", "kubernetes"));
  assert.ok(S.near("kubernets", "kubernetes"));
  assert.ok(S.near("kubernetess", "kubernetes"));
  assert.ok(S.near("kubernetez", "kubernetes"));
  assert.ok(S.near("kuberentes", "kubernetes"));
  assert.ok(!S.near("kubrenetez", "kubernetes"));
  assert.ok(!S.near("kubernet", "kubernetes"));
  assert.ok(!S.near("abcde", "badce"));
});

test("highlight: matched words in <mark>, HTML escaped, window around the first match", () => {
  const res = { terms: ["redis"], prefixes: ["cach"] };
  assert.equal(S.highlight("Use <Redis> caching & REDIS", res), "Use &#60;<mark>Redis</mark>&#62; <mark>caching</mark> &#38; <mark>REDIS</mark>");
  assert.equal(S.highlight("分布式缓存策略", { terms: ["缓存"] }), "分布式<mark>缓存</mark>策略");
  assert.equal(S.highlight("慢查询优化", { terms: ["慢查", "查询"] }), "<mark>慢查询</mark>优化");
  const long = "word ".repeat(60) + "redis here " + "tail ".repeat(60);
  const h = S.highlight(long, res, 100);
  assert.match(h, /^…/);
  assert.match(h, /…$/);
  assert.match(h, /<mark>redis<\/mark>/);
  assert.ok(h.replace(/<\/?mark>/g, "").length <= 102);
});
