// The query engine over an index written by the test encoder (lib.mjs):
// ranking, prefix, typos, CJK, facets, AND/OR, and which files load.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AgentkbSearch, encode, memoryEngine, names } from "./lib.mjs";

const filler = (n) => Array.from({ length: n }, (_, i) => "lorem" + (i % 7)).join(" ");

const DOCS = [
  { name: "redis-cache-expert", summary: "Tunes caching layers.", body: "Eviction policies and TTLs. " + filler(20),
    department: "Engineering", category: "Backend", model: "sonnet", tools: ["Read", "Bash"] },
  { name: "database-tuner", summary: "Makes databases fast.", body: "redis redis redis replicas. " + filler(20),
    department: "Engineering", category: "Backend", model: "opus", tools: ["Read", "Grep"] },
  { name: "kubernetes-operator", summary: "Runs clusters.", body: "Deploys workloads on kubernetes with helm charts.",
    code: "kubectl apply -f deploy.yaml", department: "Operations", category: "SRE", model: "sonnet", tools: ["Bash"] },
  { name: "缓存架构师", summary: "设计分布式缓存策略。", headings: "慢查询优化", body: "负责缓存与慢查询治理。",
    department: "Data", category: "Analytics", model: "haiku", tools: ["Read"] },
  { name: "微服务治理专家", summary: "微服务拆分与服务网格。", body: "治理微服务调用链。",
    department: "Engineering", category: "Architecture", model: "opus", tools: ["Read", "Write"] },
  { name: "api-gateway", summary: "服务 routing at the edge.", body: "Rate limits for 微 services.",
    department: "Engineering", category: "Architecture", model: "sonnet", tools: ["Write"] },
  { name: "metrics-analyst", summary: "Defines each metric.", body: "One metric per question. " + filler(10),
    department: "Data", category: "Analytics", model: "haiku", tools: ["Read", "Bash"] },
  { name: "dashboard-builder", summary: "Builds dashboards.", body: "Many metrics on one screen. " + filler(10),
    department: "Data", category: "Analytics", model: "sonnet", tools: ["Write"] },
  { name: "helmsman", summary: "Packages charts.", body: "A small tool.", department: "Operations", category: "SRE",
    model: "haiku", tools: [] },
];

function setup(docs = DOCS, opts) {
  const enc = encode(docs, opts);
  return { ...memoryEngine(enc.files), enc };
}

test("a name match beats a body match, even a repeated one", async () => {
  const { engine } = setup();
  const got = await names(engine, "redis ");
  assert.deepEqual(got, ["redis-cache-expert", "database-tuner"]);
});

test("BM25: more occurrences rank higher; at equal counts the shorter document does", async () => {
  const docs = [
    { name: "a", body: "zebra " + filler(30) },
    { name: "b", body: "zebra zebra zebra " + filler(28) },
    { name: "c", body: "zebra " + filler(3) },
    { name: "d", body: filler(5) },
  ];
  const { engine } = setup(docs);
  const r = await engine.search("zebra ");
  assert.equal(r.mode, "and");
  assert.equal(r.total, 3);
  const score = {};
  (await engine.docs(r.ids)).forEach((d, i) => { score[d.name] = r.scores[i]; });
  assert.ok(score.b > score.a, "same length, more occurrences");
  assert.ok(score.c > score.a, "same count, shorter");
  // Saturation: three times the term is not three times the score.
  assert.ok(score.b < 3 * score.a);
  assert.equal((await names(engine, "zebra "))[2], "a");
  // Field boosts: summary beats body at equal counts and lengths.
  const { engine: e2 } = setup([{ name: "x", body: "yak one" }, { name: "y", summary: "yak one" }]);
  assert.deepEqual(await names(e2, "yak "), ["y", "x"]);
});

test("the word being typed matches as a prefix; a finished word does not", async () => {
  const { engine } = setup();
  assert.deepEqual(await names(engine, "kube"), ["kubernetes-operator"]);
  assert.deepEqual(await names(engine, "kube "), []);
  assert.deepEqual(await names(engine, "kubectl"), ["kubernetes-operator"]);
  // Only the last word is a prefix: "kube redi" needs "kube" exactly, which nothing has.
  assert.deepEqual((await engine.search("kube redi")).mode, "or");
  assert.deepEqual(await names(engine, "kube redi"), ["redis-cache-expert", "database-tuner"]);
  // Both words: kubernetes-operator. It alone has both, too few for an AND: helmsman follows.
  assert.deepEqual(await names(engine, "kubernetes hel"), ["kubernetes-operator", "helmsman"]);
  const r = await engine.search("hel");
  assert.deepEqual(Array.from(r.prefixes), ["hel"]);
  assert.ok(r.terms.includes("helm") && r.terms.includes("helmsman"));
});

test("exact beats prefix beats typo", async () => {
  const docs = [
    { name: "one", body: "metrics " + filler(4) },
    { name: "two", body: "metric " + filler(4) },
    { name: "three", body: "metrix " + filler(4) },
  ];
  const { engine } = setup(docs);
  assert.deepEqual(await names(engine, "metric"), ["two", "one", "three"]);
  assert.deepEqual(await names(engine, "metric "), ["two", "one", "three"]);
  assert.deepEqual(await names(engine, "metrics "), ["one", "two"]);
});

test("one typo is tolerated in Latin words of five letters or more", async () => {
  const { engine } = setup();
  for (const q of ["kubernets ", "kubernetess ", "kubernetez ", "kuberentes ", "kubernetes "]) {
    assert.deepEqual(await names(engine, q), ["kubernetes-operator"], q);
  }
  assert.deepEqual(await names(engine, "kubrenetez "), [], "two typos");
  assert.deepEqual(await names(engine, "ubernetes "), [], "typo in the first two letters");
  assert.deepEqual(await names(engine, "redix "), ["redis-cache-expert", "database-tuner"], "five letters");
  assert.deepEqual(await names(engine, "helx "), [], "four letters: no typo");
  assert.deepEqual(await names(engine, "hlem "), [], "four letters: no transposition either");
  assert.deepEqual(await names(engine, "缓村 "), [], "no typos in CJK");
  assert.deepEqual(await names(engine, "kubernetes9 "), [], "digits are not Latin words");
});

test("CJK: the query is cut into the same bigrams", async () => {
  const { engine } = setup();
  assert.deepEqual(await names(engine, "缓存"), ["缓存架构师"]);
  assert.deepEqual(await names(engine, "慢查询"), ["缓存架构师"]);
  // 微服务 needs most of the rarity of 微服 and 服务: api-gateway, with 服务 and 微 but not 微服, does
  // not match it, and comes only in the OR that follows a thin match.
  assert.deepEqual(await names(engine, "微服务"), ["微服务治理专家", "api-gateway"]);
  assert.equal((await engine.search("微服务")).mode, "or");
  const r = await engine.search("微服务");
  assert.deepEqual(Array.from(r.words, (w) => w.t), ["微服", "服务"]);
  // One character: prefix of the bigrams (and the lone character itself).
  assert.deepEqual(await names(engine, "缓"), ["缓存架构师"]);
  assert.deepEqual(new Set(await names(engine, "微")), new Set(["微服务治理专家", "api-gateway"]));
  assert.deepEqual(await names(engine, "架构 缓存"), ["缓存架构师"]);
  assert.deepEqual(await names(engine, "查询"), ["缓存架构师"]);
});

test("AND while enough documents have every word; otherwise a ranked OR where rare words count most", async () => {
  const { engine } = setup();
  let r = await engine.search("redis kubernetes ");
  assert.equal(r.mode, "or");
  assert.deepEqual(new Set(await names(engine, "redis kubernetes ")),
    new Set(["redis-cache-expert", "database-tuner", "kubernetes-operator"]));
  // A word no document has is not required either: the others still find something.
  r = await engine.search("kubernetes charts zzzz ");
  assert.equal(r.mode, "or");
  assert.deepEqual(await names(engine, "kubernetes charts zzzz "), ["kubernetes-operator", "helmsman"]);
  // By rarity, not by how many words matched: the one word in a name beats two in a body.
  assert.deepEqual(await names(engine, "kubectl workloads helmsman "), ["helmsman", "kubernetes-operator"]);
  // "helm" starts helmsman's name: the thin AND becomes an OR with it second.
  assert.deepEqual(await names(engine, "kubernetes helm "), ["kubernetes-operator", "helmsman"]);
  r = await engine.search("zzzz ");
  assert.equal(r.total, 0);
});

test("a thin AND (under five documents) gives way to the ranked OR; five or more stay an AND", async () => {
  const docs = [
    { name: "stream-troubleshooter", body: "kafka consumer lag " + filler(30) },
    { name: "kafka-expert", summary: "Runs kafka clusters and consumer groups." },
    ...Array.from({ length: 3 }, (_, i) => ({ name: "other" + i, body: "lag " + filler(8) })),
    ...Array.from({ length: 5 }, (_, i) => ({ name: "unrelated" + i, body: filler(8) })),
  ];
  const { engine } = setup(docs);
  let r = await engine.search("kafka consumer lag ");
  assert.equal(r.mode, "or");
  const got = await names(engine, "kafka consumer lag ");
  assert.deepEqual(got.slice(0, 2).sort(), ["kafka-expert", "stream-troubleshooter"]);
  assert.equal(got.length, 5, "the rare words' documents and the ones with only 'lag'");
  // Five with every word: only they are shown.
  const many = Array.from({ length: 5 }, (_, i) => ({ name: "both" + i, body: "alpha beta " + filler(i) }))
    .concat([{ name: "alpha-only", summary: "alpha" }]);
  const { engine: e2 } = setup(many);
  r = await e2.search("alpha beta ");
  assert.equal(r.mode, "and");
  assert.equal(r.total, 5);
});

test("stop words and words most documents have rank, but never exclude", async () => {
  const docs = [
    { name: "redis-tuner", summary: "Tunes redis." },
    { name: "resume-writer", summary: "Polishes a resume." },
    { name: "helper", body: "how do i improve my work " + filler(5) },
    ...Array.from({ length: 6 }, (_, i) => ({ name: "filler" + i, body: "improve things " + filler(i) })),
  ];
  const { engine } = setup(docs);
  assert.deepEqual(await names(engine, "how do i tune redis "), ["redis-tuner"]);
  // "improve" is in most documents: "improve my resume" still finds the resume agent first.
  const got = await names(engine, "improve my resume ");
  assert.equal(got[0], "resume-writer");
  // Only stop words: then they are the query.
  assert.ok((await engine.search("how do i ")).total >= 1);
});

test("light stemming on both sides: writer/writing/write, auditor/audit, tests/testing/tester", async () => {
  const docs = [
    { name: "technical-writer", summary: "Documents APIs." },
    { name: "security-auditor", summary: "Reviews code." },
    { name: "qa", body: "Runs the tests, testing everything; a tester." },
    { name: "plain", body: "Nothing related. " + filler(3) },
  ];
  const { engine } = setup(docs);
  assert.deepEqual(await names(engine, "writing "), ["technical-writer"]);
  assert.deepEqual(await names(engine, "write "), ["technical-writer"]);
  assert.deepEqual(await names(engine, "audit "), ["security-auditor"]);
  assert.deepEqual(await names(engine, "security audits "), ["security-auditor"]);
  assert.deepEqual(await names(engine, "test "), ["qa"]);
  const S = AgentkbSearch;
  for (const [w, s] of [["testing", "test"], ["tests", "test"], ["tester", "test"], ["writer", "writ"], ["writing", "writ"],
    ["auditor", "audit"], ["engineering", "engineer"], ["running", "run"], ["policies", "polic"], ["policy", "polic"],
    ["documentation", "document"], ["document", "document"], ["comment", "comment"], ["deployment", "deploy"],
    ["optimization", "optimiz"], ["optimize", "optimiz"], ["process", "process"],
    ["redis", "redis"], ["user", "user"], ["string", "string"], ["sql", "sql"]]) {
    assert.equal(S.stem(w), s, w);
  }
});

test("a word of the name, or the start of one, outweighs any body", async () => {
  const docs = [
    { name: "security-auditor", body: "Reviews." },
    { name: "busy", body: Array(40).fill("audit").join(" ") + " " + filler(10) },
    { name: "database-admin", body: "Backups." },
    { name: "notes", body: "data data data data " + filler(5) },
    { name: "javascript-pro", body: "Bundlers." },
    { name: "java-pro", body: "Spring." },
  ];
  const { engine } = setup(docs);
  assert.deepEqual(await names(engine, "audit "), ["security-auditor", "busy"]);
  // "data" starts "database" (at least half of it): a name prefix.
  assert.deepEqual(await names(engine, "data "), ["database-admin", "notes"]);
  // "java" is under half of "javascript": no name prefix, only the exact name.
  assert.deepEqual(await names(engine, "java "), ["java-pro"]);
});

test("an exact word outranks a completion or a typo of it, however rare those are", async () => {
  const docs = [
    { name: "orm", body: "sqlalchemy sqlalchemy sqlalchemy sqlite " + filler(6) },
    { name: "db", body: "sql " + filler(6) },
    ...Array.from({ length: 8 }, (_, i) => ({ name: "x" + i, body: "sql " + filler(12 + i) })),
  ];
  const { engine } = setup(docs);
  const typing = await names(engine, "sql");
  assert.equal(typing[0], "db");
  assert.ok(typing.indexOf("orm") > typing.indexOf("x7"), typing.join(" "));
  assert.deepEqual((await names(engine, "sql ")).includes("orm"), false);
});

test("code-fence languages are a low-weight field: 'sql' finds SQL examples in prose that never says it", async () => {
  const docs = [
    { name: "pg-tuner", body: "Tunes PostgreSQL and MySQL.", lang: "sql postgresql" },
    { name: "sql-pro", summary: "Writes sql." },
    { name: "other", body: "Nothing." },
  ];
  const { engine } = setup(docs);
  assert.deepEqual(await names(engine, "sql "), ["sql-pro", "pg-tuner"]);
});

test("synonyms (base.js syn): a Chinese word finds English agents and back, own language first", async () => {
  const syn = [["爬虫", "scraping", "scraper", "crawler"], ["机器学习", "machine learning", "ml"]];
  const docs = [
    { name: "web-scraper", summary: "Builds a crawler for scraping sites." },
    { name: "爬虫专家", summary: "编写网络爬虫。" },
    { name: "ml-engineer", summary: "Machine learning models in production." },
    { name: "ml-specialist", summary: "训练机器学习模型。" },
    { name: "other", body: "Nothing here." },
  ];
  const { engine } = setup(docs, { syn });
  assert.deepEqual(await names(engine, "爬虫"), ["爬虫专家", "web-scraper"]);
  assert.deepEqual(await names(engine, "scraping "), ["web-scraper", "爬虫专家"]);
  assert.deepEqual(await names(engine, "machine learning "), ["ml-engineer", "ml-specialist"]);
  assert.deepEqual(await names(engine, "机器学习"), ["ml-specialist", "ml-engineer"]);
  // Inside a longer run: 帮我写爬虫 holds 爬虫.
  assert.deepEqual(new Set(await names(engine, "帮我写爬虫")), new Set(["爬虫专家", "web-scraper"]));
});

test("Chinese: bigrams as a soft conjunction by rarity; the longer contiguous run first", async () => {
  const docs = [
    { name: "测试工程师", summary: "编写单元测试和集成测试。" },
    { name: "单测", summary: "负责单元测试。" },
    { name: "散", summary: "单元与测试分开出现。" + "其他内容".repeat(3) },
    { name: "解读", summary: "财务报表的分析与解读。" },
    { name: "综合", summary: "财务与报表与分析。" },
    { name: "无关", summary: "完全无关的内容。" },
  ];
  const { engine } = setup(docs);
  // 写单元测试: 写单 (only "编写单元测试" has it) is not required; "单元测试" is.
  const unit = await names(engine, "写单元测试");
  assert.deepEqual(unit.slice(0, 2).sort(), ["单测", "测试工程师"].sort());
  assert.ok(unit.indexOf("散") === -1 || unit.indexOf("散") > 1);
  // 财务报表分析: both reports docs, the one with the contiguous 财务报表 first.
  const fin = await names(engine, "财务报表分析");
  assert.deepEqual(fin.slice(0, 2), ["解读", "综合"]);
  // Filler and particles are not searched for: 帮我 / 的.
  assert.deepEqual(await names(engine, "帮我做财务报表的分析"), fin);
});

const counts = (r, key) => Object.fromEntries(r.facets.find((f) => f.key === key).values.map((v) => [v.value, v.count]));

test("facets: counts over all documents, or over the query's results", async () => {
  const { engine } = setup();
  let r = await engine.search("");
  assert.equal(r.mode, "all");
  assert.equal(r.total, DOCS.length);
  assert.deepEqual(Array.from(r.facets, (f) => f.key), ["department", "category", "model", "tools"]);
  assert.deepEqual(counts(r, "department"), { Data: 3, Engineering: 4, Operations: 2 });
  assert.deepEqual(counts(r, "tools"), { Bash: 3, Grep: 1, Read: 5, Write: 3 });
  r = await engine.search("redis ");
  assert.deepEqual(counts(r, "department"), { Data: 0, Engineering: 2, Operations: 0 });
  assert.deepEqual(counts(r, "model"), { haiku: 0, opus: 1, sonnet: 1 });
});

test("facets: OR within a facet, AND across facets, combined with the query", async () => {
  const { engine } = setup();
  // Empty query with a filter lists the matching agents in site order.
  assert.deepEqual(await names(engine, "", { filters: { department: ["Operations"] } }), ["kubernetes-operator", "helmsman"]);
  assert.deepEqual(await names(engine, "", { filters: { department: ["Operations", "Data"] } }),
    ["kubernetes-operator", "缓存架构师", "metrics-analyst", "dashboard-builder", "helmsman"]);
  assert.deepEqual(await names(engine, "", { filters: { department: ["Data"], tools: ["Bash"] } }), ["metrics-analyst"]);
  assert.deepEqual(await names(engine, "", { filters: { tools: ["Bash", "Grep"], model: ["opus"] } }), ["database-tuner"]);
  assert.deepEqual(await names(engine, "redis ", { filters: { model: ["sonnet"] } }), ["redis-cache-expert"]);
  assert.deepEqual(await names(engine, "redis ", { filters: { department: ["Data"] } }), []);
  // Unknown values and keys select nothing and are ignored.
  assert.equal((await engine.search("", { filters: { department: ["Nope"], nope: ["x"] } })).total, DOCS.length);
  // A facet's own counts ignore its own selection (so more values can be added); others follow it.
  const r = await engine.search("", { filters: { department: ["Data"] } });
  assert.deepEqual(counts(r, "department"), { Data: 3, Engineering: 4, Operations: 2 });
  assert.deepEqual(counts(r, "model"), { haiku: 2, opus: 0, sonnet: 1 });
  assert.deepEqual(r.facets[0].values.filter((v) => v.selected).map((v) => v.value), ["Data"]);
});

test("display data: name, url, department, category, model, text, qualifier, install", async () => {
  const { engine } = setup();
  const r = await engine.search("helmsman");
  const [d] = await engine.docs(r.ids);
  assert.deepEqual({ ...d }, { id: 8, name: "helmsman", url: "agents/helmsman/index.html", department: "Operations",
    category: "SRE", model: "haiku", text: "Packages charts.", qualifier: "", install: null });
  // Any format but a sub-agent carries where it installs (format.h); a plugin installs otherwise ("").
  const { engine: e3 } = setup([
    { name: "pdf-forms", install: { path: ".claude/skills/pdf-forms/SKILL.md", raw: "SKILL.md", dir: ".claude/skills" } },
    { name: "shop-plugin", install: { path: "", raw: "plugin.json", dir: "" } }]);
  const [skill] = await e3.docs((await e3.search("pdf-forms")).ids);
  assert.deepEqual(skill.install, { path: ".claude/skills/pdf-forms/SKILL.md", raw: "SKILL.md", dir: ".claude/skills" });
  const [plugin] = await e3.docs((await e3.search("shop-plugin")).ids);
  assert.deepEqual(plugin.install, { path: "", raw: "plugin.json", dir: "" });
  const { engine: e2 } = setup([{ name: "sql-pro", qualifier: "wshobson" }, { name: "sql-pro", qualifier: "voltagent" }]);
  const q = await e2.search("sql-pro");
  assert.deepEqual((await e2.docs(q.ids)).map((x) => x.qualifier).sort(), ["voltagent", "wshobson"]);
});

test("loading: base once, then only the shards and chunks a query touches (and facets.js for counts)", async () => {
  const many = Array.from({ length: 40 }, (_, i) => ({ name: `agent${i}`, body: `w${String(i).padStart(2, "0")} common` }));
  many[25].body += " kubernetes";
  const { engine, log, enc } = setup(many, { shardTerms: 4, chunk: 8 });
  const shardOf = (t) => {
    let k = 0;
    enc.base.shards.forEach((s, i) => { if (s <= t) k = i; });
    return "t" + k;
  };
  let r = await engine.search("kubernetes ");
  assert.deepEqual(log, ["base", shardOf("kubernetes"), "facets"]);
  await engine.docs(r.ids);
  assert.deepEqual(log, ["base", shardOf("kubernetes"), "facets", "d3"]);
  // Nothing twice.
  r = await engine.search("kubernetes ");
  await engine.docs(r.ids);
  assert.equal(log.length, 4);
  // A prefix loads the shards covering its range only.
  log.length = 0;
  r = await engine.search("w1");
  assert.equal(r.total, 10);
  const want = [...new Set(["w1", ...enc.terms.filter((t) => t.startsWith("w1")), "w1\uffff"].map(shardOf))];
  assert.deepEqual(new Set(log), new Set(want.filter((n) => n !== shardOf("kubernetes"))));
  assert.ok(log.length < enc.base.shards.length / 2);
  // Typos: only shards of terms sharing the first two letters.
  log.length = 0;
  r = await engine.search("commom ");
  assert.equal(r.total, 40);
  assert.deepEqual(log, [shardOf("commom")]);
  // Display chunks of the results shown only.
  log.length = 0;
  await engine.docs([0, 1, 39]);
  assert.deepEqual(log, ["d0", "d4"]);
  // 10 shards at least, so the assertions above mean something.
  assert.ok(enc.base.shards.length >= 10);
});

test("typos in a crowded two-letter range load a bounded set of shards", async () => {
  // 300 terms starting with "ku" spread over many shards.
  const docs = Array.from({ length: 30 }, (_, i) => ({
    name: `d${i}`, body: Array.from({ length: 10 }, (_, j) => "ku" + String.fromCharCode(97 + ((i * 10 + j) % 26)) + (i * 10 + j)).join(" "),
  }));
  docs[17].body += " kubernetes";
  const { engine, log, enc } = setup(docs, { shardTerms: 4 });
  assert.ok(enc.base.shards.filter((t) => t.startsWith("ku")).length > 40);
  await engine.ready();
  for (const q of ["kubernetse ", "kuebrnetes ", "kubbernetes ", "kubernetes "]) {
    log.length = 0;
    assert.deepEqual(await names(engine, q), ["d17"], q);
    assert.ok(log.length <= 8 + 3, `${q}: ${log.length} shards`);
  }
});

test("a failed load is retried by the next query", async () => {
  const enc = encode(DOCS);
  let fail = true;
  const { engine } = memoryEngine(new Proxy(enc.files, {
    get(target, prop) {
      if (prop === "has") return (n) => !(fail && n !== "base") && target.has(n);
      const v = Reflect.get(target, prop);
      return typeof v === "function" ? v.bind(target) : v;
    },
  }));
  await assert.rejects(engine.search("redis "));
  fail = false;
  assert.equal((await engine.search("redis ")).total, 2);
});

test("an empty index", async () => {
  const { engine } = setup([]);
  const r = await engine.search("anything");
  assert.equal(r.total, 0);
  assert.equal((await engine.search("")).total, 0);
});

// Common words fill shards of their own (as "cache" does at 10,000 agents: the C writer cuts at
// 12,000 bytes; shardBytes 50 gives the same structure here), rarer ones share shards.
const COMMON = ["cable", "cache", "cachy", "call", "callable", "calls", "card", "catch"];
function commonSite() {
  const docs = Array.from({ length: 64 }, (_, i) => ({
    name: `agent${i}`, department: i % 2 ? "Odd" : "Even",
    body: COMMON.filter((w) => w !== "cachy" || i % 4 === 0).join(" ") + ` rare${i} zebra ` + filler(i % 7),
  }));
  return setup(docs, { shardBytes: 50, chunk: 8 });
}

test("typo and prefix scans skip solo shards whose one term cannot match", async () => {
  const { enc } = commonSite();
  const solo = (t) => enc.groups.findIndex((g) => g.length === 1 && enc.terms[g[0]] === t);
  for (const w of COMMON) assert.ok(solo(w) >= 0, `${w} has a shard of its own`);
  assert.equal(enc.base.solo.length, enc.base.shards.length);
  const shardOf = (t) => enc.base.shards.reduce((k, s, i) => (s <= t ? i : k), 0);
  // Shards a query loads, on a new engine (base.js aside).
  async function loads(q) {
    const { engine, log } = memoryEngine(enc.files);
    await engine.ready();
    log.length = 0;
    const r = await engine.search(q, { counts: false });
    return { r, log: new Set(log) };
  }
  // The shard before "cable" may hold other "ca" words: it has several terms, so it is loaded.
  const before = shardOf("ca");
  assert.equal(enc.base.solo[before], "0");
  // "cache": its own shard and the one typo-near term's (cachy), not the other six "ca" words.
  let { r, log } = await loads("cache ");
  assert.deepEqual(log, new Set(["t" + before, "t" + solo("cache"), "t" + solo("cachy")]));
  assert.equal(r.total, 64);
  assert.ok(r.terms.includes("cachy"), "the typo match is still found");
  // A prefix loads the solo shards its words start with.
  ({ log } = await loads("cach"));
  assert.deepEqual(log, new Set(["t" + solo("cache"), "t" + solo("cachy")]));
  // A finished word that is no solo shard's term loads none, only the shard that may hold it.
  ({ r, log } = await loads("cabbage "));
  assert.deepEqual(log, new Set(["t" + before]));
  assert.equal(r.total, 0);
  ({ r, log } = await loads("zzzz "));
  assert.equal(enc.base.solo[shardOf("zzzz")], "1");
  assert.deepEqual(log, new Set());
  // The same answers as an engine that loads every shard of the ranges (no solo marks).
  const { engine } = memoryEngine(enc.files);
  const plain = memoryEngine(new Map([...enc.files].map(([k, v]) =>
    [k, k === "base" ? v.replace(/"solo":"[01]*"/, '"solo":""') : v])));
  for (const q of ["cache ", "cach", "catch", "calls ", "cabbage ", "cachx ", "zzzz "]) {
    assert.deepEqual(await names(engine, q), await names(plain.engine, q), q);
  }
});

test("a one-word query on a common term shows its first page from the shard's rows, no display chunk", async () => {
  const { engine, log, enc } = commonSite();
  const r = await engine.search("catch ", { counts: false });
  log.length = 0;
  const top = await engine.docs(r.ids.slice(0, 10));
  assert.deepEqual(log, [], "no chunk for the first page");
  const docs = enc.files; // the same rows as the chunks hold
  const fresh = memoryEngine(docs);
  await fresh.engine.ready();
  const viaChunks = await fresh.engine.docs(r.ids.slice(0, 10));
  assert.deepEqual(top, viaChunks);
  assert.ok(fresh.log.some((n) => n[0] === "d"));
  // The next page needs chunks again.
  await engine.docs(r.ids.slice(0, 11));
  assert.deepEqual(log, ["d" + Math.floor(r.ids[10] / 8)]);
  // Prefix and typo matches take the best documents of each word: still covered.
  const p = await engine.search("catc", { counts: false });
  log.length = 0;
  await engine.docs(p.ids.slice(0, 10));
  assert.deepEqual(log, []);
});

test("counts: false answers without facets.js; the counts follow from the same ranking", async () => {
  const { engine, log } = commonSite();
  const r = await engine.search("cache ", { counts: false });
  assert.equal(r.facets, null);
  assert.ok(!log.includes("facets"), log.join(" "));
  const c = await engine.search("cache ");
  assert.deepEqual(c.ids, r.ids);
  assert.deepEqual(counts(c, "department"), { Even: 32, Odd: 32 });
  assert.equal(log.filter((n) => n === "facets").length, 1);
  // A filter needs facets.js whatever counts says.
  const { engine: e2, log: l2 } = commonSite();
  const f = await e2.search("cache ", { counts: false, filters: { department: ["Odd"] } });
  assert.equal(f.total, 32);
  assert.ok(l2.includes("facets"));
  assert.deepEqual(counts(f, "department"), { Even: 32, Odd: 32 });
});

test("facets with more values than one base-64 digit holds, and several values a document", async () => {
  // 70 categories (two digits a number), tools up to 3 a document.
  const docs = Array.from({ length: 140 }, (_, i) => ({
    name: `a${i}`, body: "word", category: `c${String(i % 70).padStart(2, "0")}`,
    tools: ["Read", "Bash", "Grep"].slice(0, i % 4), department: i % 5 ? "Ops" : "",
  }));
  const { engine } = setup(docs);
  const r = await engine.search("word ");
  assert.equal(r.total, 140);
  const cat = counts(r, "category");
  assert.equal(Object.keys(cat).length, 70);
  assert.ok(Object.values(cat).every((n) => n === 2));
  assert.deepEqual(counts(r, "tools"), { Bash: 70, Grep: 35, Read: 105 });
  assert.deepEqual(counts(r, "department"), { Ops: 112 });
  assert.deepEqual(await names(engine, "word ", { filters: { category: ["c69"] } }), ["a69", "a139"]);
  assert.deepEqual(await names(engine, "", { filters: { category: ["c03"], tools: ["Read"] } }), ["a3", "a73"]);
  assert.deepEqual(await names(engine, "", { filters: { category: ["c03"], tools: ["Grep"] } }), ["a3"]);
  assert.equal((await engine.search("", { filters: { department: ["Ops"], tools: ["Bash"] } })).total, 56);
  // Several values a document out of more than 63: two digits a number.
  const many = Array.from({ length: 140 }, (_, i) => ({ name: `m${i}`, body: "word",
    tools: i % 3 ? [`t${String(i % 70).padStart(2, "0")}`, `t${String((i + 1) % 70).padStart(2, "0")}`] : [] }));
  const { engine: e2 } = setup(many);
  const r2 = await e2.search("word ");
  const tools = counts(r2, "tools");
  assert.equal(Object.keys(tools).length, 70);
  assert.equal(Object.values(tools).reduce((a, b) => a + b, 0), 2 * many.filter((_, i) => i % 3).length);
  assert.deepEqual(await names(e2, "word ", { filters: { tools: ["t05"] } }), ["m4", "m5", "m74", "m75"].filter((n) => Number(n.slice(1)) % 3));
});
