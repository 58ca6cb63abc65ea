#!/bin/sh
# Writes N synthetic agent files shaped like ../shared/fixtures/backend-architect.md
# (front-matter, Chinese and English prose, ~12 KB with fenced examples in
# several languages) into DIR, spread over departments and categories.
# usage: scripts/gen-corpus.sh N DIR [SEED]
set -e
N=${1:?usage: gen-corpus.sh N DIR [SEED]}
DIR=${2:?usage: gen-corpus.sh N DIR [SEED]}
SEED=${3:-42}
rm -rf "$DIR"
mkdir -p "$DIR"
for d in engineering data operations product security design research support; do mkdir -p "$DIR/$d"; done
awk -v n="$N" -v dir="$DIR" -v seed="$SEED" '
function pick(arr, cnt) { return arr[int(rand() * cnt) + 1] }
function sentence(words, cnt,   s, k, len) {
	len = 8 + int(rand() * 14); s = ""
	for (k = 0; k < len; k++) s = s (k ? " " : "") pick(words, cnt)
	return toupper(substr(s, 1, 1)) substr(s, 2) "."
}
function zh_sentence(   s, k, len) {
	len = 6 + int(rand() * 10); s = ""
	for (k = 0; k < len; k++) s = s pick(zh, nzh)
	return s "。"
}
BEGIN {
	srand(seed)
	nd = split("engineering data operations product security design research support", depts, " ")
	ncat = split("architecture frontend backend analytics ml sre devops security design management platform mobile", cats, " ")
	nw = split("cache latency schema service queue index shard replica request token pipeline deploy rollback metric trace " \
		"contract gateway cluster budget throughput consistency partition migration feature review incident runbook " \
		"alert storage stream batch workflow container secret policy audit release version dependency benchmark", words, " ")
	nzh = split("缓存 微服务 慢查询 数据库 架构 性能 优化 接口 设计 部署 监控 日志 安全 测试 容器 集群 消息 队列 索引 事务 " \
		"分片 扩展 可用性 一致性 延迟 吞吐 告警 回滚 发布 依赖", zh, " ")
	nm = split("sonnet opus haiku", models, " ")
	nt = split("Read Write Edit Grep Glob Bash WebFetch WebSearch Task", tools, " ")
	np = split("high medium low", prio, " ")
	nl = split("typescript sql yaml python bash json go rust dockerfile java c ruby css html toml diff", langs, " ")
	code["typescript"] = "interface Plan {\n  id: string;\n  steps: Array<() => Promise<void>>;\n}\nexport async function run(p: Plan): Promise<number> {\n  let n = 0;\n  for (const s of p.steps) { await s(); n++; }\n  return n;\n}"
	code["sql"] = "-- find slow queries\nSELECT query, calls, mean_exec_time\nFROM pg_stat_statements\nWHERE mean_exec_time > 100\nORDER BY mean_exec_time DESC\nLIMIT 20;"
	code["yaml"] = "service:\n  name: api\n  replicas: 3\n  resources:\n    limits: { cpu: \"500m\", memory: 256Mi }\n  probes:\n    - path: /healthz\n      period: 10s"
	code["python"] = "import functools\n\n@functools.lru_cache(maxsize=1024)\ndef score(item: str, weight: float = 1.5) -> float:\n    \"\"\"Rank an item.\"\"\"\n    return len(item) * weight  # simple heuristic\n\nprint(score(\"cache\"))"
	code["bash"] = "#!/usr/bin/env bash\nset -euo pipefail\nfor f in \"$@\"; do\n  echo \"checking $f\"\n  grep -c TODO \"$f\" || true\ndone"
	code["json"] = "{\n  \"name\": \"agent\",\n  \"version\": 2,\n  \"enabled\": true,\n  \"tags\": [\"cache\", \"latency\"],\n  \"limits\": { \"rps\": 250.5 }\n}"
	code["go"] = "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tch := make(chan int, 4)\n\tgo func() { ch <- 42 }()\n\tfmt.Println(<-ch) // prints 42\n}"
	code["rust"] = "use std::collections::HashMap;\n\nfn count(words: &[&str]) -> HashMap<&str, usize> {\n    let mut m = HashMap::new();\n    for w in words { *m.entry(*w).or_insert(0) += 1; }\n    m\n}"
	code["dockerfile"] = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates\nCOPY app /usr/local/bin/app\nEXPOSE 8080\nCMD [\"app\", \"--port\", \"8080\"]"
	code["java"] = "public final class Retry {\n    public static <T> T call(java.util.concurrent.Callable<T> c, int n) throws Exception {\n        for (int i = 0; ; i++) {\n            try { return c.call(); } catch (Exception e) { if (i >= n) throw e; }\n        }\n    }\n}"
	code["c"] = "#include <stdio.h>\n\n/* sum an array */\nstatic long sum(const int *v, size_t n) {\n    long s = 0;\n    for (size_t i = 0; i < n; i++) s += v[i];\n    return s;\n}"
	code["ruby"] = "class Report\n  def initialize(rows)\n    @rows = rows\n  end\n\n  def total = @rows.sum { |r| r[:amount] }\nend\nputs Report.new([{ amount: 3 }]).total"
	code["css"] = ".card {\n  display: grid;\n  gap: 12px;\n  color: #1f2328;\n}\n@media (prefers-color-scheme: dark) {\n  .card { color: #e6e8eb; }\n}"
	code["html"] = "<!doctype html>\n<html lang=\"en\">\n<body>\n  <main id=\"app\" class=\"wrap\">Hello</main>\n  <script src=\"app.js\" defer></script>\n</body>\n</html>"
	code["toml"] = "[package]\nname = \"agent\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }"
	code["diff"] = "--- a/config.yaml\n+++ b/config.yaml\n@@ -1,3 +1,3 @@\n service:\n-  replicas: 2\n+  replicas: 3"
	for (i = 1; i <= n; i++) {
		d = depts[(i - 1) % nd + 1]
		c = d "-" cats[int(rand() * ncat) + 1]
		name = sprintf("%s-%s-agent-%05d", pick(words, nw), pick(words, nw), i)
		file = sprintf("%s/%s/%s.md", dir, d, name)
		toolstr = ""
		k = 2 + int(rand() * 4)
		for (t = 0; t < k; t++) toolstr = toolstr (t ? ", " : "") tools[(i + t) % nt + 1]
		print "---" > file
		print "name: " name > file
		if (i % 2) print "description: 当用户讨论" pick(zh, nzh) "、" pick(zh, nzh) "、" pick(zh, nzh) "时自动触发" > file
		else print "description: Use this agent for " pick(words, nw) " and " pick(words, nw) " work. " sentence(words, nw) > file
		print "category: " c > file
		print "tools: " toolstr > file
		print "model: " models[i % nm + 1] > file
		printf "color: \"#%06x\"\n", int(rand() * 16777215) > file
		print "department: " d > file
		print "priority: " prio[i % np + 1] > file
		print "---" > file
		print "" > file
		print zh_sentence() zh_sentence() sentence(words, nw) > file
		print "" > file
		for (s = 1; s <= 11; s++) {
			print "### " s ". " pick(zh, nzh) pick(zh, nzh) " " pick(words, nw) > file
			print "" > file
			for (p = 0; p < 3; p++) print "- " zh_sentence() " " sentence(words, nw) > file
			print "" > file
			l = langs[(i + s) % nl + 1]
			print "```" l > file
			print code[l] > file
			print "```" > file
			print "" > file
			print sentence(words, nw) " " zh_sentence() sentence(words, nw) > file
			print "" > file
		}
		close(file)
	}
}'
