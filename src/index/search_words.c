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
 * A group is its words joined by '|'.
 */
const char *const akb_builtin_synonyms[] = {
	"爬虫|scraping|scraper|crawler|crawling|spider",
	"漏洞|vulnerability|vulnerabilities|vuln|cve",
	"数据库|database|databases|db",
	"部署|deploy|deployment",
	"测试|test|testing|tests",
	"单元测试|unit test|unit tests|unit testing",
	"重构|refactor|refactoring",
	"性能|performance",
	"优化|optimize|optimization|optimise",
	"安全|security",
	"审计|audit|auditing",
	"文档|documentation|docs",
	"前端|frontend|front-end",
	"后端|backend|back-end",
	"全栈|fullstack|full-stack",
	"微服务|microservice|microservices",
	"容器|container|containers",
	"监控|monitoring",
	"可观测性|observability",
	"日志|logging|logs",
	"缓存|cache|caching",
	"机器学习|machine learning|ml",
	"深度学习|deep learning",
	"人工智能|artificial intelligence|ai",
	"大模型|大语言模型|llm|llms|large language model",
	"提示词|prompt|prompts",
	"数据分析|data analysis|analytics",
	"数据科学|data science",
	"可视化|visualization|visualisation",
	"移动端|移动应用|mobile|mobile app",
	"安卓|android",
	"小程序|mini program|miniprogram",
	"游戏|game|games|gamedev",
	"区块链|blockchain|web3",
	"智能合约|smart contract|smart contracts",
	"支付|payment|payments",
	"电商|ecommerce|e-commerce",
	"营销|marketing",
	"销售|sales",
	"客服|customer support|customer service",
	"招聘|recruiting|recruitment|hiring",
	"简历|resume|cv",
	"财务|finance|financial",
	"会计|accounting",
	"法律|legal",
	"合规|compliance",
	"产品经理|product manager",
	"项目管理|project management",
	"用户研究|用户调研|user research",
	"界面|ui",
	"用户体验|ux|user experience",
	"无障碍|可访问性|accessibility|a11y",
	"国际化|i18n|internationalization",
	"本地化|l10n|localization",
	"接口|api|apis",
	"网关|gateway",
	"迁移|migration|migrate",
	"代码审查|代码评审|code review",
	"调试|debug|debugging",
	"运维|devops|ops",
	"云原生|cloud native|cloud-native",
	"服务器|server|servers",
	"网络|network|networking",
	"自动化|automation",
	"流水线|pipeline|pipelines",
	"持续集成|ci|continuous integration",
	"基础设施|infrastructure",
	"基础设施即代码|iac|infrastructure as code",
	"k8s|kubernetes",
	"js|javascript",
	"ts|typescript",
	"py|python",
	"golang|go",
	"postgres|postgresql",
	"mongo|mongodb",
	"tf|terraform",
	"翻译|translation|translator",
	"架构|architecture",
	"架构师|architect",
	"数据管道|data pipeline|etl",
	"消息队列|message queue",
	"实时|realtime|real-time",
	"邮件|email",
	"搜索引擎优化|seo",
	"社交媒体|social media",
	"写作|writing",
	"教育|education",
	"医疗|healthcare",
	"报表|report|reports|reporting",
	"调研|research",
	"需求|requirements",
	"加密|encryption|cryptography",
	"认证|authentication|auth",
	"权限|authorization|permissions",
	"渗透测试|penetration testing|pentest|pentesting",
	"嵌入式|embedded",
	"物联网|iot",
	"量化交易|quantitative trading|quant",
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
