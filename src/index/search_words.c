/*
 * search_words: the word tables of the search index (see search_words.h):
 * the built-in synonym groups and the names of code-fence languages.
 */
#include "core/prefix.h"

#include <string.h>
#include <strings.h>

#include "search_words.h"

/*
 * Words that mean the same to someone looking for an agent, so that a
 * Chinese query finds the English agents and the other way round, and an
 * abbreviation finds the spelled-out word. Each group is symmetric: keep
 * them to true equivalents (a kind of thing is not its synonym: "kafka" is
 * not "message queue"). `search.synonyms` in agentkb.yaml adds more.
 */
#define GROUP(...) ((const char *const[]){ __VA_ARGS__, NULL })
const char *const *const akb_builtin_synonyms[] = {
	GROUP("爬虫", "scraping", "scraper", "crawler", "crawling", "spider"),
	GROUP("漏洞", "vulnerability", "vulnerabilities", "vuln", "cve"),
	GROUP("数据库", "database", "databases", "db"),
	GROUP("部署", "deploy", "deployment"),
	GROUP("测试", "test", "testing", "tests"),
	GROUP("单元测试", "unit test", "unit tests", "unit testing"),
	GROUP("重构", "refactor", "refactoring"),
	GROUP("性能", "performance"),
	GROUP("优化", "optimize", "optimization", "optimise"),
	GROUP("安全", "security"),
	GROUP("审计", "audit", "auditing"),
	GROUP("文档", "documentation", "docs"),
	GROUP("前端", "frontend", "front-end"),
	GROUP("后端", "backend", "back-end"),
	GROUP("全栈", "fullstack", "full-stack"),
	GROUP("微服务", "microservice", "microservices"),
	GROUP("容器", "container", "containers"),
	GROUP("监控", "monitoring"),
	GROUP("可观测性", "observability"),
	GROUP("日志", "logging", "logs"),
	GROUP("缓存", "cache", "caching"),
	GROUP("机器学习", "machine learning", "ml"),
	GROUP("深度学习", "deep learning"),
	GROUP("人工智能", "artificial intelligence", "ai"),
	GROUP("大模型", "大语言模型", "llm", "llms", "large language model"),
	GROUP("提示词", "prompt", "prompts"),
	GROUP("数据分析", "data analysis", "analytics"),
	GROUP("数据科学", "data science"),
	GROUP("可视化", "visualization", "visualisation"),
	GROUP("移动端", "移动应用", "mobile", "mobile app"),
	GROUP("安卓", "android"),
	GROUP("小程序", "mini program", "miniprogram"),
	GROUP("游戏", "game", "games", "gamedev"),
	GROUP("区块链", "blockchain", "web3"),
	GROUP("智能合约", "smart contract", "smart contracts"),
	GROUP("支付", "payment", "payments"),
	GROUP("电商", "ecommerce", "e-commerce"),
	GROUP("营销", "marketing"),
	GROUP("销售", "sales"),
	GROUP("客服", "customer support", "customer service"),
	GROUP("招聘", "recruiting", "recruitment", "hiring"),
	GROUP("简历", "resume", "cv"),
	GROUP("财务", "finance", "financial"),
	GROUP("会计", "accounting"),
	GROUP("法律", "legal"),
	GROUP("合规", "compliance"),
	GROUP("产品经理", "product manager"),
	GROUP("项目管理", "project management"),
	GROUP("用户研究", "用户调研", "user research"),
	GROUP("界面", "ui"),
	GROUP("用户体验", "ux", "user experience"),
	GROUP("无障碍", "可访问性", "accessibility", "a11y"),
	GROUP("国际化", "i18n", "internationalization"),
	GROUP("本地化", "l10n", "localization"),
	GROUP("接口", "api", "apis"),
	GROUP("网关", "gateway"),
	GROUP("迁移", "migration", "migrate"),
	GROUP("代码审查", "代码评审", "code review"),
	GROUP("调试", "debug", "debugging"),
	GROUP("运维", "devops", "ops"),
	GROUP("云原生", "cloud native", "cloud-native"),
	GROUP("服务器", "server", "servers"),
	GROUP("网络", "network", "networking"),
	GROUP("自动化", "automation"),
	GROUP("流水线", "pipeline", "pipelines"),
	GROUP("持续集成", "ci", "continuous integration"),
	GROUP("基础设施", "infrastructure"),
	GROUP("基础设施即代码", "iac", "infrastructure as code"),
	GROUP("k8s", "kubernetes"),
	GROUP("js", "javascript"),
	GROUP("ts", "typescript"),
	GROUP("py", "python"),
	GROUP("golang", "go"),
	GROUP("postgres", "postgresql"),
	GROUP("mongo", "mongodb"),
	GROUP("tf", "terraform"),
	GROUP("翻译", "translation", "translator"),
	GROUP("架构", "architecture"),
	GROUP("架构师", "architect"),
	GROUP("数据管道", "data pipeline", "etl"),
	GROUP("消息队列", "message queue"),
	GROUP("实时", "realtime", "real-time"),
	GROUP("邮件", "email"),
	GROUP("搜索引擎优化", "seo"),
	GROUP("社交媒体", "social media"),
	GROUP("写作", "writing"),
	GROUP("教育", "education"),
	GROUP("医疗", "healthcare"),
	GROUP("报表", "report", "reports", "reporting"),
	GROUP("调研", "research"),
	GROUP("需求", "requirements"),
	GROUP("加密", "encryption", "cryptography"),
	GROUP("认证", "authentication", "auth"),
	GROUP("权限", "authorization", "permissions"),
	GROUP("渗透测试", "penetration testing", "pentest", "pentesting"),
	GROUP("嵌入式", "embedded"),
	GROUP("物联网", "iot"),
	GROUP("量化交易", "quantitative trading", "quant"),
	NULL,
};

/* Code-fence languages and the names readers search them by. */
static const struct {
	const char *lang;
	const char *names; /* space-separated */
} S_lang_names[] = {
	{ "ts", "typescript" },
	{ "tsx", "typescript react" },
	{ "jsx", "javascript react" },
	{ "js", "javascript" },
	{ "mjs", "javascript" },
	{ "cjs", "javascript" },
	{ "py", "python" },
	{ "python3", "python" },
	{ "ipython", "python" },
	{ "rb", "ruby" },
	{ "rs", "rust" },
	{ "golang", "go" },
	{ "sh", "shell bash" },
	{ "bash", "shell" },
	{ "zsh", "shell" },
	{ "shell", "bash" },
	{ "console", "shell" },
	{ "ps1", "powershell" },
	{ "yml", "yaml" },
	{ "hcl", "terraform" },
	{ "tf", "terraform hcl" },
	{ "terraform", "hcl" },
	{ "dockerfile", "docker" },
	{ "docker", "dockerfile" },
	{ "postgresql", "sql postgres" },
	{ "postgres", "sql postgresql" },
	{ "psql", "sql postgresql" },
	{ "pgsql", "sql postgresql" },
	{ "plpgsql", "sql postgresql" },
	{ "mysql", "sql" },
	{ "sqlite", "sql" },
	{ "tsql", "sql" },
	{ "plsql", "sql oracle" },
	{ "kt", "kotlin" },
	{ "kts", "kotlin" },
	{ "cs", "csharp" },
	{ "c#", "csharp" },
	{ "cpp", "c++" },
	{ "cxx", "cpp" },
	{ "hpp", "cpp" },
	{ "objc", "objective-c" },
	{ "vue", "javascript" },
	{ "svelte", "javascript" },
	{ "gql", "graphql" },
	{ "proto", "protobuf" },
	{ "md", "markdown" },
	{ "ex", "elixir" },
	{ "exs", "elixir" },
	{ "erl", "erlang" },
	{ "hs", "haskell" },
	{ "sol", "solidity" },
	{ "k8s", "kubernetes yaml" },
	{ "gd", "gdscript" },
	{ "scss", "css sass" },
	{ "sass", "css" },
	{ "less", "css" },
	{ "html5", "html" },
	{ "xml", "html" },
};

size_t akb_code_lang_names(const char *lang, size_t len, akb_word_fn fn, void *ctx)
{
	size_t given = 0;
	for (size_t i = 0; i < sizeof(S_lang_names) / sizeof(S_lang_names[0]); i++) {
		if (strlen(S_lang_names[i].lang) != len || strncasecmp(S_lang_names[i].lang, lang, len))
			continue;
		const char *p = S_lang_names[i].names;
		char word[32];
		while (*p) {
			size_t n = strcspn(p, " ");
			if (n < sizeof word) { /* the table's own words: all short */
				memcpy(word, p, n);
				word[n] = 0;
				fn(ctx, word);
				given++;
			}
			p += n + (p[n] == ' ');
		}
		break;
	}
	return given;
}
