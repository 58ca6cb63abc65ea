// The browser's tokenizer (search-engine.js) and the C one (`agentkb tokenize`,
// which built the index) must cut text into exactly the same tokens, or
// queries miss. No skipping: without the command this test fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { AgentkbSearch as S, TOP } from "./lib.mjs";

const AKB = process.env.AKB_BIN || path.join(TOP, "build/agentkb");

function cTokens(text) {
  const out = execFileSync(AKB, ["tokenize"], { input: Buffer.from(text, "utf8"), maxBuffer: 64 << 20 }).toString("utf8");
  return out === "" ? [] : out.replace(/\n$/, "").split("\n");
}

const SAMPLES = {
  english: "Hello, World! The k8s_v2 API-gateway handles 429 Too-Many-Requests; see RFC-6585 (2012).",
  chinese: "微服务架构下的缓存策略：慢查询优化、分布式锁与一致性。当用户讨论慢查询时使用。",
  mixed: "使用Redis做缓存，QPS提升到10万/秒；API网关v2上线。k8s集群3个节点",
  emoji: "Ship it 🚀🔥 done ✅ — café ☕️ 👩‍💻 coder 🇨🇳 flag a🙂b",
  japanese: "ひらがなとカタカナ、ｶﾀｶﾅ（半角）と漢字を混ぜた日本語のテキストです。ㇰㇱ",
  korean: "한국어 텍스트 검색 테스트입니다. ㄱㄴㄷ 자모 ᄀᄁ",
  latin: "ÉCOLE Straße Ångström naïve façade ŁĄKA ĲSSEL Œuvre ŸVES Žižek ÀÉÎÕÜ ÞÐ ªº µ ×÷",
  cyrillic: "ПРИВЕТ мир Ёжик ЀЍЎЏ ЂЋ Україна",
  greek: "ΑΘΗΝΑ Ελλάδα ΣΊΣΥΦΟΣ",
  fullwidth: "ＡＢＣ ｘｙｚ １２３ ＡＰＩ！ （全角） ｶﾀ",
  long: "a".repeat(40) + " " + "Ж".repeat(33) + " supercalifragilisticexpialidociousXYZabcdefgh 缓存".repeat(2),
  punctuation: "a.b,c;d:e!f?g\"h'i(j)k[l]m{n}o<p>q/r\\s|t`u~v@w#x$y%z^&*_+=-",
  spaces: "tab\there\nnew line\u00a0nbsp\u2003em\u3000ideographic\ufeffbom",
  extb: "𠀀𠀁𠀂 and 𪜀 alone, 😀 emoji, \u{E0061} tag",
  numbers: "v1.2.3 2024-01-31 3.14159 1,000,000 ０１２",
  lone: "x",
};

for (const [name, text] of Object.entries(SAMPLES)) {
  test(`C and JS tokenizers agree: ${name}`, () => {
    const js = Array.from(S.tokenize(text));
    assert.deepEqual(cTokens(text), js);
    assert.ok(js.length > 0);
  });
}

test("C and JS tokenizers agree on everything at once, and on each code point alone", () => {
  const all = Object.values(SAMPLES).join("\n");
  assert.deepEqual(cTokens(all), Array.from(S.tokenize(all)));
  // Every code point of the tables' edges, each in its own word: classes and case mapping.
  const cps = [];
  for (let c = 0x20; c < 0x600; c++) cps.push(c);
  for (const [a, b] of [[0x1100, 0x1200], [0x1FF0, 0x2010], [0x2BF0, 0x2C10], [0x2FF0, 0x3200], [0x33F0, 0x3410],
    [0x4DB0, 0x4E10], [0x9FF0, 0xA010], [0xABF0, 0xAC10], [0xD7A0, 0xD7B0], [0xF8F0, 0xFB10], [0xFDF0, 0xFFFE],
    [0x1EFF0, 0x1F010], [0x1FAF0, 0x1FB10], [0x1FFF0, 0x20010], [0x31340, 0x31360]]) {
    for (let c = a; c < b; c++) if (c < 0xD800 || c > 0xDFFF) cps.push(c);
  }
  const text = cps.map((c) => "|" + String.fromCodePoint(c)).join("") + "|";
  assert.deepEqual(cTokens(text), Array.from(S.tokenize(text)));
});
