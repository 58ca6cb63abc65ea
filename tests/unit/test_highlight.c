/*
 * Unit tests for the syntax highlighter (issue 3). Expected token sequences
 * were taken from the `highlight` program (3.41) on the same input, written
 * as [class:text] for spans and bare text for unhighlighted bytes.
 */
#include "core/prefix.h"

#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agentkb/buf.h"
#include "agentkb/codeblock.h"
#include "agentkb/markdown.h"
#include "agentkb/diag.h"
#include "agentkb/highlight.h"
#include "agentkb/highlight_theme.h"
#include "agentkb/utf8.h"
#include "harness.h"

static struct akb_highlighter *S_new_at(const char *datadir, const char *filetypes)
{
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	struct akb_highlighter_options o = { datadir, filetypes };
	struct akb_highlighter *hl = akb_highlighter_new(&o, &diag);
	akb_diag_release(&diag);
	return hl;
}

static struct akb_highlighter *S_new(void)
{
	return S_new_at(NULL, NULL);
}

static void S_notate(void *ctx, int cls, const char *text, size_t len)
{
	struct akb_buf *b = ctx;
	const char *name = akb_hl_class_name(cls);
	if (name)
		akb_buf_printf(b, "[%s:", name);
	akb_buf_put(b, text, len);
	if (name)
		akb_buf_putc(b, ']');
}

/* The tokens of `code` as [class:text]..., or "ERROR: message". Caller frees. */
static char *S_run(struct akb_highlighter *hl, const char *lang, const char *code)
{
	struct akb_buf out = AKB_BUF_INIT, err = AKB_BUF_INIT;
	const char *def = akb_highlighter_resolve(hl, lang, strlen(lang));
	if (!def)
		def = lang;
	if (akb_highlight(hl, def, code, strlen(code), S_notate, &out, &err) < 0) {
		akb_buf_clear(&out);
		akb_buf_printf(&out, "ERROR: %s", err.ptr);
	}
	akb_buf_release(&err);
	return akb_buf_detach(&out, NULL);
}

#define HL_EQ(hl, lang, code, expected)                                              \
	do {                                                                         \
		char *run_ = S_run((hl), (lang), (code));                            \
		STR_EQ(run_, (expected));                                            \
		free(run_);                                                          \
	} while (0)

#define RESOLVES(hl, lang, expected) STR_EQ(akb_highlighter_resolve((hl), (lang), strlen(lang)), (expected))

TEST(highlight_class_names)
{
	STR_EQ(akb_hl_class_name(AKB_HL_PLAIN), NULL);
	STR_EQ(akb_hl_class_name(AKB_HL_STRING), "str");
	STR_EQ(akb_hl_class_name(AKB_HL_NUMBER), "num");
	STR_EQ(akb_hl_class_name(AKB_HL_SL_COMMENT), "slc");
	STR_EQ(akb_hl_class_name(AKB_HL_COMMENT), "com");
	STR_EQ(akb_hl_class_name(AKB_HL_ESCAPE), "esc");
	STR_EQ(akb_hl_class_name(AKB_HL_DIRECTIVE), "ppc");
	STR_EQ(akb_hl_class_name(AKB_HL_DIRECTIVE_STRING), "pps");
	STR_EQ(akb_hl_class_name(AKB_HL_OPERATOR), "opt");
	STR_EQ(akb_hl_class_name(AKB_HL_INTERPOLATION), "ipl");
	STR_EQ(akb_hl_class_name(AKB_HL_KEYWORD), "kwa");
	STR_EQ(akb_hl_class_name(AKB_HL_KEYWORD + 3), "kwd");
	STR_EQ(akb_hl_class_name(AKB_HL_KEYWORD + 4), "kwe");
	STR_EQ(akb_hl_class_name(AKB_HL_KEYWORD + AKB_HL_KEYWORD_GROUPS), NULL);
	STR_EQ(akb_hl_class_name(-1), NULL);
}

TEST(highlight_resolves_aliases)
{
	struct akb_highlighter *hl = S_new();
	CHECK(hl != NULL);
	if (!hl)
		return;
	static const char *const pairs[][2] = {
		{ "ts", "ts" }, { "typescript", "ts" }, { "tsx", "ts" }, { "js", "js" }, { "javascript", "js" },
		{ "jsx", "jsx" }, { "mjs", "js" }, { "py", "python" }, { "python", "python" },
		{ "python3", "python" }, { "sh", "sh" }, { "bash", "sh" }, { "shell", "sh" }, { "zsh", "sh" },
		{ "console", "sh" }, { "yml", "yaml" }, { "yaml", "yaml" }, { "sql", "sql" },
		{ "postgresql", "sql" }, { "mysql", "sql" }, { "plpgsql", "sql" }, { "json", "json" },
		{ "jsonc", "json" }, { "go", "go" }, { "golang", "go" }, { "rs", "rs" }, { "rust", "rs" },
		{ "dockerfile", "docker" }, { "docker", "docker" }, { "c", "c" }, { "h", "c" },
		{ "cpp", "c" }, { "c++", "c" }, { "java", "java" }, { "rb", "ruby" }, { "ruby", "ruby" },
		{ "toml", "ini" }, { "ini", "ini" }, { "diff", "diff" }, { "patch", "diff" },
		{ "html", "html" }, { "xml", "xml" }, { "css", "css" }, { "scss", "scss" }, { "md", "md" },
		{ "markdown", "md" },
		/* case-insensitive, and what filetypes.conf maps */
		{ "Python", "python" }, { "TSX", "ts" }, { "Dockerfile", "docker" }, { "C++", "c" },
		{ "cxx", "c" }, { "hpp", "c" }, { "pm", "perl" }, { "htm", "html" }, { "kt", "kotlin" },
		{ "CMakeLists.txt", "cmake" }, { "groovy", "java" }, { "lua", "lua" }, { "fs", "fsharp" },
		{ "  go ", "go" },
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		RESOLVES(hl, pairs[i][0], pairs[i][1]);
	static const char *const none[] = {
		"", "   ", "[language]", "text", "txt", "plain", "plaintext", "nope", "mermaid", "py thon",
	};
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		RESOLVES(hl, none[i], NULL);
	STR_EQ(akb_highlighter_resolve(hl, "pythonic", 6), "python");
	STR_EQ(akb_highlighter_resolve(hl, NULL, 0), NULL);
	akb_highlighter_free(hl);
}

TEST(highlight_keywords_lists_groups_and_regexes)
{
	struct akb_highlighter *hl = S_new();
	HL_EQ(hl, "ts", "const x = 1", "[kwa:const] x [opt:=] [num:1]");
	HL_EQ(hl, "python", "def f(x): return len(x) # done",
	      "[kwa:def] [kwd:f][opt:(]x[opt:):] [kwa:return] [kwb:len][opt:(]x[opt:)] [slc:# done]");
	/* A regex keyword (decorators) and a third list. */
	HL_EQ(hl, "python", "@cached\nclass C(Exception): pass",
	      "[kwb:@cached]\n[kwa:class] [kwd:C][opt:(][kwc:Exception][opt:):] [kwa:pass]");
	/* Capture group 1 of (\w+)\s*\:\: is the token; the rest is matched again. */
	HL_EQ(hl, "c", "std::vector<int> v;", "[kwc:std][opt:::]vector[opt:<][kwb:int][opt:>] v[opt:;]");
	/* Group=0: the whole match; and whitespace inside a span when the state goes on. */
	HL_EQ(hl, "js", "r = /ab+c/g;", "r [opt:=] [kwc:/ab+c/g][opt:;]");
	HL_EQ(hl, "java", "public class A { @Override void f() { int x = 1; } }",
	      "[kwa:public class] A [opt:{] [kwc:@Override] [kwa:void] [kwd:f][opt:() {] [kwa:int] x [opt:=] "
	      "[num:1][opt:; } }]");
	akb_highlighter_free(hl);
}

TEST(highlight_strings_escapes_interpolation)
{
	struct akb_highlighter *hl = S_new();
	HL_EQ(hl, "js", "var s = \"a\\n\\x41\" + x;",
	      "[kwa:var] s [opt:=] [str:\"a][esc:\\n\\x41][str:\"] [opt:+] x[opt:;]");
	HL_EQ(hl, "ts", "let t = `a${b}c`;", "[kwa:let] t [opt:=] [str:`a][ipl:${b}][str:c`][opt:;]");
	HL_EQ(hl, "python", "print(\"%d items\" % n)",
	      "[kwa:print][opt:(][str:\"][ipl:%d] [str:items\"] [opt:%] n[opt:)]");
	/* A multi-line string: newlines stay outside spans, as highlight writes them. */
	HL_EQ(hl, "python", "x = \"\"\"a\nb\"\"\" + 'c'", "x [opt:=] [str:\"\"\"a]\n[str:b\"\"\"] [opt:+] [str:'c']");
	HL_EQ(hl, "json", "{\"a\": [1, 2.5, true, null], \"b\": \"s\\n\"}",
	      "[kwa:{][kwc:\"a\"][opt::] [kwb:[][num:1][opt:,] [num:2.5][opt:,] true[opt:,] null[kwb:]][opt:,] "
	      "[kwc:\"b\"][opt::] [str:\"s][esc:\\n][str:\"][kwa:}]");
	akb_highlighter_free(hl);
}

TEST(highlight_raw_strings_and_delimiter_pairs)
{
	struct akb_highlighter *hl = S_new();
	/* RawPrefix: no escapes after r" */
	HL_EQ(hl, "python", "p = r\"\\d+\" + \"\\d\"", "p [opt:=] r[str:\"\\d+\"] [opt:+] [str:\"\\d\"]");
	/* DelimiterPairs with Raw=true (C++ raw strings) */
	HL_EQ(hl, "c", "auto s = R\"(raw \\n)\";", "[kwc:auto] s [opt:=] R[str:\"(raw \\n)\"][opt:;]");
	/* AssertEqualLength: ]] does not close [==[ */
	HL_EQ(hl, "lua", "x = [==[ a ]] b ]==] .. y", "x [opt:=] [str:[==[ a ]] b ]==]] [opt:..] y");
	akb_highlighter_free(hl);
}

TEST(highlight_comments)
{
	struct akb_highlighter *hl = S_new();
	HL_EQ(hl, "lua", "--[[ block\ncomment ]] z = 1 -- line",
	      "[com:--[[ block]\n[com:comment ]]] z [opt:=] [num:1] [slc:-- line]");
	/* css.lang nests block comments, c.lang does not. */
	HL_EQ(hl, "css", "/* a /* b */ c */ p { color: red; }",
	      "[com:/* a /* b */ c */] p [opt:{] [kwa:color][opt::] red[opt:; }]");
	HL_EQ(hl, "c", "/* a /* b */ c */ int x;", "[com:/* a /* b */] c */ [kwb:int] x[opt:;]");
	HL_EQ(hl, "yaml", "key: value # c\nlist:\n  - \"q\"\n  - 1",
	      "[kwa:key:] value [slc:# c]\n[kwa:list:]\n  - [str:\"q\"]\n  - [num:1]");
	akb_highlighter_free(hl);
}

TEST(highlight_numbers_operators_identifiers_preprocessor)
{
	struct akb_highlighter *hl = S_new();
	HL_EQ(hl, "c", "n = 0x1F + 3.14e-10 + 42UL;",
	      "n [opt:=] [num:0x1F] [opt:+] [num:3.14e-10] [opt:+] [num:42UL][opt:;]");
	/* sh.lang's Identifiers take dashes: foo-bar is one plain word. */
	HL_EQ(hl, "sh", "foo-bar --flag -x $HOME ${USER:-me}", "foo-bar [kwb:--flag -x] [kwd:$HOME ${USER:-me}]");
	/* A continued directive goes on to the next line. */
	HL_EQ(hl, "c", "#include <stdio.h>\n#define M(a) \\\n  (a + 1)\nint y;",
	      "[ppc:#include <stdio.h>]\n[ppc:#define M(a) \\]\n[ppc:  (a + 1)]\n[kwb:int] y[opt:;]");
	HL_EQ(hl, "docker", "FROM debian:12\nRUN apt-get update && apt-get install -y curl # c",
	      "[kwa:FROM] debian[opt::][num:12]\n[kwa:RUN] apt[opt:-]get update [opt:&&] apt[opt:-]get install "
	      "[opt:-]y curl [slc:# c]");
	HL_EQ(hl, "go", "func main() { fmt.Println(\"hi\", 42) }",
	      "[kwa:func] [kwd:main][opt:() {] fmt[opt:.][kwd:Println][opt:(][str:\"hi\"][opt:,] [num:42][opt:) }]");
	/* rs.lang makes # a preprocessor prefix, strings inside it are pps. */
	HL_EQ(hl, "rs", "fn main() { let s = r#\"raw\"#; println!(\"{}\", s); }",
	      "[kwa:fn] [kwd:main][opt:() {] [kwa:let] s [opt:=] r[ppc:#][pps:\"raw\"][ppc:#; println!(][pps:\"{}\"]"
	      "[ppc:, s); }]");
	akb_highlighter_free(hl);
}

TEST(highlight_ignore_case)
{
	struct akb_highlighter *hl = S_new();
	HL_EQ(hl, "sql", "select a FROM t WHERE b = 'x';",
	      "[kwa:select] a [kwa:FROM] t [kwa:WHERE] b [opt:=] [str:'x'][opt:;]");
	HL_EQ(hl, "sql", "SELECT a from t where b = 1;",
	      "[kwa:SELECT] a [kwa:from] t [kwa:where] b [opt:=] [num:1][opt:;]");
	akb_highlighter_free(hl);
}

TEST(highlight_nested_sections)
{
	struct akb_highlighter *hl = S_new();
	/* js inside html: `var` continues the <script> span (both kwa). */
	HL_EQ(hl, "html", "<p>Hi</p><script>var x = 1;</script><b>b</b>",
	      "[kwa:<p>]Hi[kwa:</p><script>var] x [opt:=] [num:1][opt:;][kwa:</script><b>]b[kwa:</b>]");
	HL_EQ(hl, "html", "<style type=\"text/css\">p { color: red; }</style>",
	      "[kwa:<style] [kwb:type]=[str:\"text/css\"][kwa:>]p [opt:{] [kwa:color][opt::] red[opt:; }]"
	      "[kwa:</style>]");
	HL_EQ(hl, "html", "<script>a()</script>  <b>x</b>\n<script>\nb = \"</b>\";\n</script>",
	      "[kwa:<script>][kwd:a][opt:()][kwa:</script>]  [kwa:<b>]x[kwa:</b>]\n[kwa:<script>]\nb [opt:=] "
	      "[str:\"</b>\"][opt:;]\n[kwa:</script>]");
	akb_highlighter_free(hl);
}

TEST(highlight_on_state_change_hooks)
{
	struct akb_highlighter *hl = S_new();
	/* sh: here-documents, tracked in a Lua global */
	HL_EQ(hl, "sh", "cat <<EOF\nhello $name\nEOF\necho done",
	      "[kwc:cat] [str:<<EOF]\n[str:hello] [ipl:$name]\n[str:EOF]\n[kwb:echo] [kwa:done]");
	HL_EQ(hl, "sh", "cat <<EOF\nnever closed", "[kwc:cat] [str:<<EOF]\n[str:never closed]");
	/* The open here-document above must not leak into the next block. */
	HL_EQ(hl, "sh", "echo \"a $b c\"", "[kwb:echo] [str:\"a] [ipl:$b] [str:c\"]");
	/* python: % outside strings is an operator */
	HL_EQ(hl, "python", "a = 1 % 2", "a [opt:=] [num:1] [opt:%] [num:2]");
	/* c: digit separators stay in the number, '\'' is a char */
	HL_EQ(hl, "c", "char c = '\\''; int n = 1'000;",
	      "[kwb:char] c [opt:=] [str:'][esc:\\'][str:'][opt:;] [kwb:int] n [opt:=] [num:1'000][opt:;]");
	/* js: HL_REJECT keeps a /regex/ from spanning two strings */
	HL_EQ(hl, "js", "x = \"</i>\" + y + \"</i>\";", "x [opt:=] [str:\"</i>\"] [opt:+] y [opt:+] [str:\"</i>\"][opt:;]");
	HL_EQ(hl, "ruby", "puts \"a #{b} c\" if x", "puts [str:\"a #{b} c\"] [kwa:if] x");
	/* perl: } ends q{a} (hook state qString) but not the string after it */
	HL_EQ(hl, "perl", "my $s = q{a}; print \"x}y$s\\n\";",
	      "[kwc:my] [kwb:$s] [opt:=] [str:q{a}][opt:;] [kwc:print] [str:\"x}y][ipl:$s][esc:\\n][str:\"][opt:;]");
	akb_highlighter_free(hl);
}

/*
 * Lua states (and the hook results remembered in them) outlive a block:
 * a block must come out the same after any other, as from a fresh
 * highlighter.
 */
TEST(highlight_hook_state_is_per_block)
{
	static const char *const blocks[][2] = {
		{ "sh", "cat <<EOF\nopen $x" },
		{ "sh", "echo \"$a\" 'b' # c\ncat <<-END\n\tx\n\tEND\nls -la" },
		{ "ruby", "x = %q(a (b) c) + 'd'\ny = <<EOS\nbody\nEOS\nputs x" },
		{ "ruby", "puts \"#{a}\" if b # done" },
		{ "perl", "my @a = qw(x y); print <<END;\ntext $v\nEND\n" },
		{ "perl", "my $s = q{a}; print \"x}y$s\\n\";" },
		{ "php", "<?php $x = <<<EOT\nhi $y\nEOT;\necho $x; ?>" },
		{ "lisp", "(format t \"~a\" x) ; c" },
		{ "swift", "let q: Int = 2\nprint(q)" },
		{ "swift", "print(q)" },
		{ "python", "'%d' % 3 + x % 2" },
		{ "c", "int n = 1'000; char c = '\\'';" },
	};
	const size_t n = sizeof(blocks) / sizeof(blocks[0]);
	struct akb_highlighter *shared = S_new();
	int differ = 0;
	for (int round = 0; round < 3; round++) {
		for (size_t k = 0; k < n; k++) {
			size_t i = round == 1 ? n - 1 - k : k;
			struct akb_highlighter *fresh = S_new();
			char *want = S_run(fresh, blocks[i][0], blocks[i][1]);
			char *got = S_run(shared, blocks[i][0], blocks[i][1]);
			if (strcmp(got, want)) {
				differ++;
				fprintf(stderr, "  %s block %zu: got %s\n  want %s\n", blocks[i][0], i, got, want);
			}
			free(want);
			free(got);
			akb_highlighter_free(fresh);
		}
	}
	INT_EQ(differ, 0);
	akb_highlighter_free(shared);
}

TEST(highlight_add_keyword_lasts_one_block)
{
	struct akb_highlighter *hl = S_new();
	/* swift.lang's hook adds declared names as keywords (AddKeyword). */
	HL_EQ(hl, "swift", "let x: Foo = 1\nprint(x)", "[kwa:let] [kwc:x][opt::] Foo [opt:=] [num:1]\n[kwd:print][opt:(][kwc:x][opt:)]");
	HL_EQ(hl, "swift", "print(x)", "[kwd:print][opt:(]x[opt:)]");
	akb_highlighter_free(hl);
}

TEST(highlight_crlf_empty_and_unknown)
{
	struct akb_highlighter *hl = S_new();
	HL_EQ(hl, "js", "x = 1\r\ny = 2\r\n", "x [opt:=] [num:1]\r\ny [opt:=] [num:2]\r\n");
	HL_EQ(hl, "js", "", "");
	HL_EQ(hl, "js", "\n\n", "\n\n");
	struct akb_buf out = AKB_BUF_INIT, err = AKB_BUF_INIT;
	INT_EQ(akb_highlight(hl, "no-such-language", "x", 1, S_notate, &out, &err), -1);
	CHECK(strstr(err.ptr, "no-such-language") != NULL);
	INT_EQ(akb_highlight(hl, NULL, "x", 1, S_notate, &out, NULL), -1);
	akb_buf_release(&out);
	akb_buf_release(&err);
	akb_highlighter_free(hl);
}

/* ---- every byte, in order, whatever the input ---------------------------- */

static double S_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}


struct collect {
	struct akb_buf text;
	int bad_utf8;  /* a token that is not valid UTF-8 */
	int prev_cls;
	int unmerged;  /* two adjacent tokens of one class */
	size_t tokens;
};

static void S_collect(void *ctx, int cls, const char *text, size_t len)
{
	struct collect *c = ctx;
	if (!akb_utf8_valid(text, len))
		c->bad_utf8++;
	if (c->tokens && cls == c->prev_cls)
		c->unmerged++;
	c->prev_cls = cls;
	c->tokens++;
	akb_buf_put(&c->text, text, len);
}

static uint64_t S_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static const char *const S_langs[] = {
	"ts", "js", "python", "sql", "yaml", "sh", "json", "go", "rs", "docker", "java", "c", "ruby", "css",
	"html", "php", "perl", "lua", "md", "swift", "fsharp", "tex", "coffee", "purebasic",
};

TEST(highlight_tokens_concatenate_to_random_input)
{
	struct akb_highlighter *hl = S_new();
	static const char alphabet[] = "abcXYZ_0123456789 \t\n\n\r\"'`\\/*#<>{}()[]$@%!?.:;,=+-&|^~";
	uint64_t seed = 0x9e3779b97f4a7c15u;
	int failures = 0, mismatches = 0;
	for (int round = 0; round < 400; round++) {
		struct akb_buf in = AKB_BUF_INIT;
		size_t n = S_rand(&seed) % 600;
		for (size_t i = 0; i < n; i++) {
			uint64_t r = S_rand(&seed);
			if (r % 13 == 0)
				akb_buf_putc(&in, (int)(r >> 8 & 0xff)); /* any byte: NUL, lone continuation bytes, ... */
			else
				akb_buf_putc(&in, alphabet[(r >> 8) % (sizeof(alphabet) - 1)]);
		}
		const char *lang = S_langs[round % (sizeof(S_langs) / sizeof(S_langs[0]))];
		struct collect c = { AKB_BUF_INIT, 0, 0, 0, 0 };
		struct akb_buf err = AKB_BUF_INIT;
		if (akb_highlight(hl, lang, in.ptr, in.len, S_collect, &c, &err) < 0) {
			failures++;
			fprintf(stderr, "  %s: %s\n", lang, err.ptr);
		} else if (c.text.len != in.len || memcmp(c.text.ptr, in.ptr, in.len)) {
			mismatches++;
		}
		akb_buf_release(&c.text);
		akb_buf_release(&err);
		akb_buf_release(&in);
	}
	INT_EQ(failures, 0);
	INT_EQ(mismatches, 0);
	akb_highlighter_free(hl);
}

TEST(highlight_never_splits_a_character)
{
	struct akb_highlighter *hl = S_new();
	/* js.lang's operator pattern ends in `.`, which matches single bytes of é. */
	static const char *const samples[] = {
		"x = 1é + \"€\"; // café\n",
		"é€𝄞=1.2é€\n",
		"naïve = ['ü', \"ß\"] # ñ\n",
		"<p>日本語</p><script>var 変数 = 'ok';</script>\n",
	};
	for (size_t l = 0; l < sizeof(S_langs) / sizeof(S_langs[0]); l++) {
		for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
			struct collect c = { AKB_BUF_INIT, 0, 0, 0, 0 };
			INT_EQ(akb_highlight(hl, S_langs[l], samples[i], strlen(samples[i]), S_collect, &c, NULL), 0);
			STR_EQ(c.text.ptr, samples[i]);
			INT_EQ(c.bad_utf8, 0);
			INT_EQ(c.unmerged, 0);
			akb_buf_release(&c.text);
		}
	}
	/* Random code-like text with characters of 1 to 4 bytes anywhere. */
	static const char *const pieces[] = {
		"x", "=", "1", " ", "\n", "\"", "'", "/", "*", "#", "<", ">", "$", "{", "}", "(", "\\",
		"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9d\x84\x9e", "\xe6\x97\xa5", "if", "//", "/*", "*/", "--",
	};
	uint64_t seed = 12345;
	int bad = 0, unmerged = 0, wrong = 0;
	for (int round = 0; round < 300; round++) {
		struct akb_buf in = AKB_BUF_INIT;
		size_t n = S_rand(&seed) % 200;
		for (size_t i = 0; i < n; i++)
			akb_buf_puts(&in, pieces[S_rand(&seed) % (sizeof(pieces) / sizeof(pieces[0]))]);
		const char *lang = S_langs[round % (sizeof(S_langs) / sizeof(S_langs[0]))];
		struct collect c = { AKB_BUF_INIT, 0, 0, 0, 0 };
		if (akb_highlight(hl, lang, in.ptr, in.len, S_collect, &c, NULL) < 0 || strcmp(c.text.ptr, in.ptr))
			wrong++;
		bad += c.bad_utf8;
		unmerged += c.unmerged;
		akb_buf_release(&c.text);
		akb_buf_release(&in);
	}
	INT_EQ(wrong, 0);
	INT_EQ(bad, 0);
	INT_EQ(unmerged, 0);
	akb_highlighter_free(hl);
}

/*
 * Whitespace and newlines inside a comment are buffered until the next
 * token; blank lines must not make that buffer grow per line.
 */
TEST(highlight_many_blank_lines_in_a_comment)
{
	struct akb_highlighter *hl = S_new();
	struct akb_buf in = AKB_BUF_INIT, want = AKB_BUF_INIT;
	akb_buf_puts(&in, "/* a\n");
	akb_buf_puts(&want, "[com:/* a]\n");
	for (int i = 0; i < 200000; i++) {
		akb_buf_puts(&in, i % 1000 ? "\n" : "  \n");
		akb_buf_puts(&want, i % 1000 ? "\n" : "[com:  ]\n");
	}
	akb_buf_puts(&in, "*/ x");
	akb_buf_puts(&want, "[com:*/] x");
	double t0 = S_now();
	char *got = S_run(hl, "c", in.ptr);
	CHECK(S_now() - t0 < 2.0);
	CHECK(!strcmp(got, want.ptr));
	free(got);
	akb_buf_release(&in);
	akb_buf_release(&want);
	akb_highlighter_free(hl);
}

/* Every definition Debian ships loads and highlights (PCRE2 accepts all their patterns). */
TEST(highlight_every_definition_loads)
{
	struct akb_highlighter *hl = S_new();
	DIR *d = opendir("/usr/share/highlight/langDefs");
	CHECK(d != NULL);
	if (!d) {
		akb_highlighter_free(hl);
		return;
	}
	static const char sample[] = "int main() { /* c */ return \"s\\n\" + 1.5; } // x\n# y\n<a href='z'>t</a>\n";
	struct dirent *e;
	int n = 0, failed = 0;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l <= 5 || strcmp(e->d_name + l - 5, ".lang"))
			continue;
		char *name = akb_xstrndup(e->d_name, l - 5);
		struct collect c = { AKB_BUF_INIT, 0, 0, 0, 0 };
		struct akb_buf err = AKB_BUF_INIT;
		if (akb_highlight(hl, name, sample, sizeof(sample) - 1, S_collect, &c, &err) < 0 ||
		    strcmp(c.text.ptr, sample)) {
			failed++;
			fprintf(stderr, "  %s: %s\n", name, err.ptr);
		}
		n++;
		akb_buf_release(&c.text);
		akb_buf_release(&err);
		free(name);
	}
	closedir(d);
	CHECK(n >= 200);
	INT_EQ(failed, 0);
	akb_highlighter_free(hl);
}

/* ---- limits -------------------------------------------------------------- */

static void S_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

struct tmpdata {
	char dir[64];
};

/* A data folder with a few hostile definitions and a theme. */
static void S_tmpdata(struct tmpdata *t)
{
	strcpy(t->dir, "/tmp/akb-hl-test-XXXXXX");
	if (!mkdtemp(t->dir))
		return;
	struct akb_buf p = AKB_BUF_INIT;
	akb_buf_printf(&p, "%s/langDefs", t->dir);
	mkdir(p.ptr, 0700);
	akb_buf_clear(&p);
	akb_buf_printf(&p, "%s/themes", t->dir);
	mkdir(p.ptr, 0700);
	static const char *const files[][2] = {
		{ "langDefs/evil.lang", "Description=\"catastrophic\"\nKeywords={ { Id=1, Regex=[[(a+)+b]] } }\n" },
		{ "langDefs/loop.lang",
		  "Description=\"loop\"\nfunction OnStateChange(o, n, t) while true do end end\n" },
		{ "langDefs/hog.lang",
		  "Description=\"hog\"\nfunction OnStateChange(o, n, t) local s = 'x' for i = 1, 64 do s = s .. s end "
		  "return n end\n" },
		{ "langDefs/broken.lang", "Description=\"broken\"\nKeywords={ { Id=1, Regex=[[(unclosed]] } }\n" },
		{ "langDefs/syntax.lang", "Description = = 1\n" },
		/* a hook with private state: the third token of a block is a number */
		{ "langDefs/counter.lang",
		  "Description=\"counter\"\nlocal n = 0\nfunction OnStateChange(o, s, t) n = n + 1 "
		  "if n == 3 then return HL_NUMBER end return s end\n" },
		/* a backslash and one byte: half of a two-byte character */
		{ "langDefs/split.lang", "Description=\"split\"\nKeywords={ { Id=1, Regex=[[\\\\.]] } }\n" },
		{ "themes/mini.theme",
		  "Description=\"mini\"\nDefault={ Colour=\"#112233\" }\nCanvas={ Colour=\"#FFFFFF\" }\n"
		  "Number={ Colour=\"#abc\" }\nString={ Colour=\"#aa0000\", Italic=true }\n"
		  "BlockComment={ Colour=\"#808080\", Underline=true }\nLineComment=BlockComment\n"
		  "Keywords={ { Colour=\"#0000ff\", Bold=true }, { Colour=\"#00ff00\" } }\n" },
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		akb_buf_clear(&p);
		akb_buf_printf(&p, "%s/%s", t->dir, files[i][0]);
		S_write(p.ptr, files[i][1]);
	}
	akb_buf_release(&p);
}

static void S_rmtree(const char *dir)
{
	struct akb_buf cmd = AKB_BUF_INIT;
	akb_buf_printf(&cmd, "rm -rf '%s'", dir);
	if (system(cmd.ptr) != 0)
		fprintf(stderr, "  could not remove %s\n", dir);
	akb_buf_release(&cmd);
}

TEST(highlight_catastrophic_backtracking_fails_fast)
{
	struct tmpdata t;
	S_tmpdata(&t);
	struct akb_highlighter *hl = S_new_at(t.dir, "/nonexistent/filetypes.conf");
	CHECK(hl != NULL);
	if (hl) {
		struct akb_buf in = AKB_BUF_INIT, err = AKB_BUF_INIT;
		for (int i = 0; i < 64; i++)
			akb_buf_putc(&in, 'a');
		akb_buf_puts(&in, "c b\n");
		struct collect c = { AKB_BUF_INIT, 0, 0, 0, 0 };
		double t0 = S_now();
		INT_EQ(akb_highlight(hl, "evil", in.ptr, in.len, S_collect, &c, &err), -1);
		CHECK(S_now() - t0 < 2.0);
		CHECK(strstr(err.ptr, "limit") != NULL);
		/* The same definition still works where nothing backtracks. */
		akb_buf_release(&c.text);
		struct collect c2 = { AKB_BUF_INIT, 0, 0, 0, 0 };
		INT_EQ(akb_highlight(hl, "evil", "aab x", 5, S_collect, &c2, NULL), 0);
		STR_EQ(c2.text.ptr, "aab x");
		akb_buf_release(&c2.text);
		akb_buf_release(&in);
		akb_buf_release(&err);
		akb_highlighter_free(hl);
	}
	S_rmtree(t.dir);
}

TEST(highlight_runaway_hooks_and_broken_definitions_fail)
{
	struct tmpdata t;
	S_tmpdata(&t);
	struct akb_highlighter *hl = S_new_at(t.dir, "/nonexistent/filetypes.conf");
	CHECK(hl != NULL);
	if (hl) {
		static const char *const cases[][2] = {
			{ "loop", "instruction limit" },
			{ "hog", "memory" },
			{ "broken", "broken.lang: bad pattern" },
			{ "syntax", "syntax.lang:1:" },
		};
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			for (int again = 0; again < 2; again++) {
				struct akb_buf err = AKB_BUF_INIT;
				struct collect c = { AKB_BUF_INIT, 0, 0, 0, 0 };
				double t0 = S_now();
				INT_EQ(akb_highlight(hl, cases[i][0], "x = y\n", 6, S_collect, &c, &err), -1);
				CHECK(S_now() - t0 < 2.0);
				if (!strstr(err.ptr, cases[i][1]))
					STR_EQ(err.ptr, cases[i][1]);
				akb_buf_release(&c.text);
				akb_buf_release(&err);
			}
		}
		/* Names come from the folder; there is no filetypes.conf here. */
		STR_EQ(akb_highlighter_resolve(hl, "EVIL", 4), "evil");
		STR_EQ(akb_highlighter_resolve(hl, "python", 6), NULL);
		akb_highlighter_free(hl);
	}
	S_rmtree(t.dir);
}

TEST(highlight_spans_end_on_character_boundaries)
{
	struct tmpdata t;
	S_tmpdata(&t);
	struct akb_highlighter *hl = S_new_at(t.dir, "/nonexistent/filetypes.conf");
	CHECK(hl != NULL);
	if (hl) {
		/* \\. takes the backslash and the first byte of é: the span takes the whole é. */
		HL_EQ(hl, "split", "a\\\xc3\xa9 b", "a[kwa:\\\xc3\xa9] b");
		/* The rest of a character joins the span, and the next span of that class merges with it. */
		HL_EQ(hl, "split", "\\\xc3\xa9\\\xe2\x82\xac\\x", "[kwa:\\\xc3\xa9\\\xe2\x82\xac\\x]");
		/* A lead byte without its continuation stays alone; a truncated character stays together. */
		HL_EQ(hl, "split", "\\\xc3x \\\xe2\x82", "[kwa:\\\xc3]x [kwa:\\\xe2\x82]");
		akb_highlighter_free(hl);
	}
	S_rmtree(t.dir);
}

TEST(highlight_hooks_with_private_state_start_fresh)
{
	struct tmpdata t;
	S_tmpdata(&t);
	struct akb_highlighter *hl = S_new_at(t.dir, "/nonexistent/filetypes.conf");
	CHECK(hl != NULL);
	if (hl) {
		for (int i = 0; i < 3; i++)
			HL_EQ(hl, "counter", "a a a a", "a a [num:a] a");
		akb_highlighter_free(hl);
	}
	S_rmtree(t.dir);
}

TEST(highlight_missing_data_folder)
{
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	struct akb_highlighter_options o = { "/nonexistent/highlight", NULL };
	CHECK(akb_highlighter_new(&o, &diag) == NULL);
	INT_EQ(diag.errors, 1);
	akb_diag_release(&diag);
	akb_highlighter_free(NULL);
}

/* ---- threads ------------------------------------------------------------- */

static const char *const S_thread_cases[][2] = {
	{ "sh", "cat <<EOF\nhello $name\nEOF\necho \"$x\" | grep -v y # c\n" },
	{ "python", "def f(a, b=\"%s\" % 1):\n    return [x for x in a if x % 2]  # c\n" },
	{ "ruby", "class A < B\n  def f(x) = \"#{x}\" unless y\nend\n" },
	{ "html", "<p>x</p><script>var a = \"</b>\";</script><style type=\"text/css\">p{a:b}</style>\n" },
	{ "swift", "let x: Int = 1\nprint(x)\n" },
	{ "c", "#include <x.h>\nint main(void) { return '\\n' + 1'000; }\n" },
	{ "yaml", "a: 1\nb: [x, 'y']\n" },
	{ "ts", "const f = async (x: number) => `v${x}`;\n" },
};
#define NCASES (sizeof(S_thread_cases) / sizeof(S_thread_cases[0]))

struct thread_job {
	struct akb_highlighter *hl;
	char *expected[NCASES];
	int mismatches, failures;
};

static void *S_thread(void *arg)
{
	struct thread_job *job = arg;
	for (int round = 0; round < 60; round++) {
		for (size_t i = 0; i < NCASES; i++) {
			size_t k = (i + (size_t)round) % NCASES;
			char *got = S_run(job->hl, S_thread_cases[k][0], S_thread_cases[k][1]);
			if (!strncmp(got, "ERROR", 5))
				job->failures++;
			else if (strcmp(got, job->expected[k]))
				job->mismatches++;
			free(got);
		}
	}
	return NULL;
}

TEST(highlight_is_thread_safe)
{
	struct akb_highlighter *base = S_new();
	struct thread_job jobs[4];
	/* A fresh highlighter, so definitions also load concurrently. */
	struct akb_highlighter *shared = S_new();
	for (int t = 0; t < 4; t++) {
		jobs[t].hl = shared;
		jobs[t].mismatches = jobs[t].failures = 0;
		for (size_t i = 0; i < NCASES; i++)
			jobs[t].expected[i] = S_run(base, S_thread_cases[i][0], S_thread_cases[i][1]);
	}
	pthread_t th[4];
	for (int t = 0; t < 4; t++)
		pthread_create(&th[t], NULL, S_thread, &jobs[t]);
	for (int t = 0; t < 4; t++)
		pthread_join(th[t], NULL);
	for (int t = 0; t < 4; t++) {
		INT_EQ(jobs[t].failures, 0);
		INT_EQ(jobs[t].mismatches, 0);
		for (size_t i = 0; i < NCASES; i++)
			free(jobs[t].expected[i]);
	}
	akb_highlighter_free(shared);
	akb_highlighter_free(base);
}

/* ---- themes -------------------------------------------------------------- */

TEST(highlight_theme_css)
{
	struct akb_highlighter *hl = S_new();
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	struct akb_buf css = AKB_BUF_INIT;
	INT_EQ(akb_highlight_theme_css(hl, "github", &css, &diag), 0);
	CHECK(strstr(css.ptr, ".hl { color: #000000; background-color: #ffffff; }\n") != NULL);
	CHECK(strstr(css.ptr, ".hl .kwa { color: #a71d5d; }\n") != NULL);
	CHECK(strstr(css.ptr, ".hl .str { color: #183691; }\n") != NULL);
	CHECK(strstr(css.ptr, ".hl .lin { color: #b2b2b2; }\n") != NULL);
	CHECK(strstr(css.ptr, ".hl .hll { background-color: #dfdfdf; }\n") != NULL);
	akb_buf_clear(&css);
	INT_EQ(akb_highlight_theme_css(hl, "edit-kwrite", &css, &diag), 0);
	CHECK(strstr(css.ptr, ".hl .com { color: #838183; font-style: italic; }\n") != NULL);
	CHECK(strstr(css.ptr, ".hl .slc { color: #838183; font-style: italic; }\n") != NULL);
	CHECK(strstr(css.ptr, ".hl .kwa { color: #000000; font-weight: bold; }\n") != NULL);
	INT_EQ(diag.errors, 0);
	akb_buf_clear(&css);
	INT_EQ(akb_highlight_theme_css(hl, "no-such-theme", &css, &diag), -1);
	INT_EQ(akb_highlight_theme_css(hl, "../etc/passwd", &css, &diag), -1);
	INT_EQ(diag.errors, 2);
	STR_EQ(css.ptr, "");
	akb_buf_release(&css);
	akb_diag_release(&diag);
	akb_highlighter_free(hl);

	struct tmpdata t;
	S_tmpdata(&t);
	hl = S_new_at(t.dir, NULL);
	akb_diag_init(&diag, NULL);
	INT_EQ(akb_highlight_theme_css(hl, "mini", &css, &diag), 0);
	STR_EQ(css.ptr, ".hl { color: #112233; background-color: #ffffff; }\n"
			".hl .num { color: #aabbcc; }\n"
			".hl .esc { color: #112233; }\n"
			".hl .str { color: #aa0000; font-style: italic; }\n"
			".hl .pps { color: #112233; }\n"
			".hl .slc { color: #808080; text-decoration: underline; }\n"
			".hl .com { color: #808080; text-decoration: underline; }\n"
			".hl .ppc { color: #112233; }\n"
			".hl .opt { color: #112233; }\n"
			".hl .ipl { color: #112233; }\n"
			".hl .lin { color: #112233; }\n"
			".hl .kwa { color: #0000ff; font-weight: bold; }\n"
			".hl .kwb { color: #00ff00; }\n"
			".hl .hll { background-color: #e1e3e5; }\n");
	/* Which classes look like the default text: same colour, no bold, italic or underline. */
	unsigned char plain[AKB_HL_CLASSES];
	memset(plain, 1, sizeof plain);
	INT_EQ(akb_highlight_theme_plain(hl, "mini", NULL, plain, &diag), 0);
	INT_EQ(plain[AKB_HL_OPERATOR], 1);
	INT_EQ(plain[AKB_HL_ESCAPE], 1);
	INT_EQ(plain[AKB_HL_DIRECTIVE], 1);
	INT_EQ(plain[AKB_HL_INTERPOLATION], 1);
	INT_EQ(plain[AKB_HL_NUMBER], 0);  /* another colour */
	INT_EQ(plain[AKB_HL_STRING], 0);  /* italic */
	INT_EQ(plain[AKB_HL_COMMENT], 0); /* underlined */
	INT_EQ(plain[AKB_HL_KEYWORD], 0); /* kwa: bold */
	INT_EQ(plain[AKB_HL_KEYWORD + 1], 0);
	INT_EQ(plain[AKB_HL_KEYWORD + 2], 1); /* kwc: the theme has no rule for it */
	INT_EQ(akb_highlight_theme_plain(hl, "no-such-theme", NULL, plain, &diag), -1);
	akb_buf_release(&css);
	akb_diag_release(&diag);
	akb_highlighter_free(hl);
	S_rmtree(t.dir);
}

/* The default site themes draw operators as plain text, fitted to the site's backgrounds or not. */
TEST(highlight_theme_plain_defaults)
{
	struct akb_highlighter *hl = S_new();
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	unsigned char plain[AKB_HL_CLASSES];
	memset(plain, 1, sizeof plain);
	struct akb_hl_theme_options light = { NULL, "#f6f8fa", 4.5 }, dark = { NULL, "#161b22", 4.5 };
	INT_EQ(akb_highlight_theme_plain(hl, "github", &light, plain, &diag), 0);
	INT_EQ(akb_highlight_theme_plain(hl, "molokai", &dark, plain, &diag), 0);
	INT_EQ(plain[AKB_HL_OPERATOR], 1);
	INT_EQ(plain[AKB_HL_STRING], 0);
	INT_EQ(plain[AKB_HL_KEYWORD], 0);
	/* A theme that colours operators keeps their spans. */
	memset(plain, 1, sizeof plain);
	INT_EQ(akb_highlight_theme_plain(hl, "edit-vim", NULL, plain, &diag), 0);
	struct akb_buf css = AKB_BUF_INIT;
	INT_EQ(akb_highlight_theme_css(hl, "edit-vim", &css, &diag), 0);
	const char *opt = strstr(css.ptr, ".hl .opt { color: ");
	const char *def = strstr(css.ptr, ".hl { color: ");
	CHECK(opt && def);
	if (opt && def)
		INT_EQ(plain[AKB_HL_OPERATOR], !strncmp(opt + 18, def + 13, 7) && opt[25] == ';' && opt[26] == ' ' && opt[27] == '}');
	INT_EQ(diag.errors, 0);
	akb_buf_release(&css);
	akb_diag_release(&diag);
	akb_highlighter_free(hl);
}

/* ---- contrast ------------------------------------------------------------ */

static void S_rgb(const char *hex, unsigned rgb[3])
{
	unsigned v = (unsigned)strtoul(hex + 1, NULL, 16);
	rgb[0] = (v >> 16) & 255;
	rgb[1] = (v >> 8) & 255;
	rgb[2] = v & 255;
}

static int S_near(double a, double b)
{
	return a - b < 0.01 && b - a < 0.01;
}

TEST(highlight_contrast_ratio)
{
	unsigned black[3] = { 0, 0, 0 }, white[3] = { 255, 255, 255 }, grey[3], a[3];
	CHECK(S_near(akb_hl_contrast(black, white), 21.0));
	CHECK(S_near(akb_hl_contrast(white, black), 21.0));
	CHECK(S_near(akb_hl_contrast(white, white), 1.0));
	/* The usual reference points: #767676 is the lightest grey that passes on white, #777777 fails. */
	S_rgb("#767676", grey);
	CHECK(akb_hl_contrast(grey, white) >= 4.5);
	S_rgb("#777777", grey);
	CHECK(akb_hl_contrast(grey, white) < 4.5);
	S_rgb("#969896", a); /* github's comments on GitHub's own code background */
	S_rgb("#f6f8fa", grey);
	CHECK(S_near(akb_hl_contrast(a, grey), 2.729));
}

/* Channels in the same order of size: the colour kept its hue, more or less. */
static int S_same_order(const unsigned a[3], const unsigned b[3])
{
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			if (a[i] > a[j] + 2 && !(b[i] >= b[j]))
				return 0;
	return 1;
}

TEST(highlight_fit_contrast)
{
	unsigned canvas[3], c[3], orig[3], step[3];
	/* A light canvas: a pale comment gets darker, just enough. */
	S_rgb("#f6f8fa", canvas);
	S_rgb("#969896", c);
	memcpy(orig, c, sizeof(c));
	INT_EQ(akb_hl_fit_contrast(c, canvas, 4.5), 1);
	CHECK(akb_hl_contrast(c, canvas) >= 4.5);
	CHECK(akb_hl_contrast(c, canvas) < 4.75);
	CHECK(c[0] < orig[0] && c[1] < orig[1] && c[2] < orig[2]);
	CHECK(S_same_order(orig, c));
	/* ...and one step lighter would fail again: it moved no further than it had to. */
	for (int i = 0; i < 3; i++)
		step[i] = c[i] + 3;
	CHECK(akb_hl_contrast(step, canvas) < 4.5);

	/* A dark canvas (the page's dark code background): molokai's comment gets lighter. */
	S_rgb("#161b22", canvas);
	S_rgb("#75715e", c);
	memcpy(orig, c, sizeof(c));
	CHECK(akb_hl_contrast(c, canvas) < 4.5);
	INT_EQ(akb_hl_fit_contrast(c, canvas, 4.5), 1);
	CHECK(akb_hl_contrast(c, canvas) >= 4.5);
	CHECK(c[0] > orig[0] && c[1] > orig[1] && c[2] > orig[2]);
	CHECK(S_same_order(orig, c));
	/* A saturated colour keeps its hue: a dark blue keyword turns light blue, still blue. */
	S_rgb("#0000aa", c);
	INT_EQ(akb_hl_fit_contrast(c, canvas, 4.5), 1);
	CHECK(akb_hl_contrast(c, canvas) >= 4.5);
	CHECK(c[2] > c[0] && c[2] > c[1]);

	/* A colour that passes is left alone. */
	S_rgb("#f92672", c);
	memcpy(orig, c, sizeof(c));
	INT_EQ(akb_hl_fit_contrast(c, canvas, 4.5), 0);
	CHECK(!memcmp(c, orig, sizeof(c)));

	/* Darker than a dark canvas, where darkening cannot reach 4.5: it crosses over to light. */
	S_rgb("#0a0a0a", c);
	INT_EQ(akb_hl_fit_contrast(c, canvas, 4.5), 1);
	CHECK(akb_hl_contrast(c, canvas) >= 4.5);
	CHECK(c[0] > canvas[0]);

	/* A mid-grey canvas where no colour reaches 7: the extreme with more contrast (black). */
	S_rgb("#777777", canvas);
	S_rgb("#888888", c);
	INT_EQ(akb_hl_fit_contrast(c, canvas, 7.0), 1);
	CHECK(c[0] == 0 && c[1] == 0 && c[2] == 0);
}

/* Every "color: #rrggbb" of `css` has contrast `min` with `canvas`; counts them into *n. */
static int S_all_contrast(const char *css, const unsigned canvas[3], double min, int *n)
{
	int ok = 1;
	*n = 0;
	for (const char *p = css; (p = strstr(p, " color: #")) != NULL; p += 9) {
		unsigned c[3];
		S_rgb(p + 8, c);
		(*n)++;
		if (akb_hl_contrast(c, canvas) < min) {
			fprintf(stderr, "  contrast %.2f: %.60s\n", akb_hl_contrast(c, canvas), p);
			ok = 0;
		}
	}
	return ok;
}

TEST(highlight_theme_css_options)
{
	struct tmpdata t;
	S_tmpdata(&t);
	struct akb_highlighter *hl = S_new_at(t.dir, NULL);
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	struct akb_buf css = AKB_BUF_INIT;
	/* mini has #808080 comments and a #00ff00 keyword on white: both fail 4.5:1. */
	struct akb_hl_theme_options o = { ":where(:root[data-theme=dark])", "#161b22", 4.5 };
	INT_EQ(akb_highlight_theme_css_opts(hl, "mini", &o, &css, &diag), 0);
	unsigned canvas[3];
	S_rgb("#161b22", canvas);
	int n = 0;
	CHECK(S_all_contrast(css.ptr, canvas, 4.5, &n));
	INT_EQ(n, 13); /* default, ten elements, two keyword groups */
	CHECK(strstr(css.ptr, ":where(:root[data-theme=dark]) .hl { color: #") == css.ptr);
	CHECK(strstr(css.ptr, "background-color: #161b22; }\n") != NULL);
	/* Every rule (one a line) is scoped. */
	size_t rules = 0, scoped = 0;
	for (const char *p = css.ptr; *p; p = strchr(p, '\n') + 1) {
		rules++;
		scoped += !strncmp(p, ":where(:root[data-theme=dark]) .hl ", 35);
	}
	INT_EQ(rules, 14); /* and .hl .hll */
	INT_EQ(scoped, rules);
	/* Bold, italic and underline stay. */
	CHECK(strstr(css.ptr, ".hl .kwa { color: #") && strstr(css.ptr, "; font-weight: bold; }\n"));
	CHECK(strstr(css.ptr, "; font-style: italic; }\n") != NULL);
	/* On white, green #00ff00 (1.4:1) gets darker and stays green. */
	akb_buf_clear(&css);
	struct akb_hl_theme_options light = { NULL, NULL, 4.5 };
	INT_EQ(akb_highlight_theme_css_opts(hl, "mini", &light, &css, &diag), 0);
	S_rgb("#ffffff", canvas);
	CHECK(S_all_contrast(css.ptr, canvas, 4.5, &n));
	const char *kwb = strstr(css.ptr, ".hl .kwb { color: #");
	CHECK(kwb != NULL);
	if (kwb) {
		unsigned g[3];
		S_rgb(kwb + 18, g);
		CHECK(g[1] > 0 && g[0] == 0 && g[2] == 0);
	}
	/* Colours that pass are untouched: mini's default and its blue keyword. */
	CHECK(strstr(css.ptr, ".hl { color: #112233; background-color: #ffffff; }\n") != NULL);
	CHECK(strstr(css.ptr, ".hl .kwa { color: #0000ff; font-weight: bold; }\n") != NULL);
	/* No options: exactly the theme. */
	akb_buf_clear(&css);
	struct akb_buf plain = AKB_BUF_INIT;
	INT_EQ(akb_highlight_theme_css_opts(hl, "mini", NULL, &css, &diag), 0);
	INT_EQ(akb_highlight_theme_css(hl, "mini", &plain, &diag), 0);
	STR_EQ(css.ptr, plain.ptr);
	akb_buf_release(&plain);
	INT_EQ(diag.errors, 0);
	/* A canvas that is not a colour is an error, and nothing is written. */
	akb_buf_clear(&css);
	struct akb_hl_theme_options bad = { NULL, "navy", 4.5 };
	INT_EQ(akb_highlight_theme_css_opts(hl, "mini", &bad, &css, &diag), -1);
	INT_EQ(diag.errors, 1);
	STR_EQ(css.ptr, "");
	akb_buf_release(&css);
	akb_diag_release(&diag);
	akb_highlighter_free(hl);
	S_rmtree(t.dir);
}

/* Every installed highlight theme, on both code backgrounds of the default site theme. */
TEST(highlight_every_theme_reaches_contrast)
{
	struct akb_highlighter *hl = S_new();
	if (!hl)
		return;
	DIR *d = opendir("/usr/share/highlight/themes");
	CHECK(d != NULL);
	if (!d) {
		akb_highlighter_free(hl);
		return;
	}
	static const char *const canvases[] = { "#f6f8fa", "#161b22" };
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	struct akb_buf css = AKB_BUF_INIT, name = AKB_BUF_INIT;
	int themes = 0, all = 1;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len < 7 || strcmp(de->d_name + len - 6, ".theme") || de->d_name[0] == '.')
			continue;
		akb_buf_clear(&name);
		akb_buf_put(&name, de->d_name, len - 6);
		for (int k = 0; k < 2; k++) {
			struct akb_hl_theme_options o = { NULL, canvases[k], 4.5 };
			unsigned canvas[3];
			S_rgb(canvases[k], canvas);
			akb_buf_clear(&css);
			if (akb_highlight_theme_css_opts(hl, name.ptr, &o, &css, &diag) != 0)
				continue;
			int n;
			if (!S_all_contrast(css.ptr, canvas, 4.5, &n) || n < 11) {
				fprintf(stderr, "  theme %s on %s\n", name.ptr, canvases[k]);
				all = 0;
			}
		}
		themes++;
	}
	closedir(d);
	CHECK(all);
	CHECK(themes > 50);
	akb_buf_release(&css);
	akb_buf_release(&name);
	akb_diag_release(&diag);
	akb_highlighter_free(hl);
}

/* A plain class's tokens are written without their span; the others keep theirs. */
TEST(codeblock_skips_plain_spans)
{
	struct akb_highlighter *hl = S_new();
	const char code[] = "x = 1 + 2;\n";
	struct akb_code_block b = { "c", "c", 1, code, sizeof code - 1, "t.md", 1 };
	unsigned char plain[AKB_HL_CLASSES];
	memset(plain, 0, sizeof plain);
	struct akb_codeblock_options o = { hl, 0, NULL };
	struct akb_buf with = AKB_BUF_INIT, without = AKB_BUF_INIT;
	akb_codeblock_render(&o, &b, &with, NULL);
	CHECK(strstr(with.ptr, "x <span class=\"opt\">=</span> <span class=\"num\">1</span>") != NULL);
	plain[AKB_HL_OPERATOR] = 1;
	o.plain = plain;
	akb_codeblock_render(&o, &b, &without, NULL);
	CHECK(strstr(without.ptr, "x = <span class=\"num\">1</span> + <span class=\"num\">2</span>;\n") != NULL);
	CHECK(strstr(without.ptr, "opt") == NULL);
	akb_buf_release(&with);
	akb_buf_release(&without);
	akb_highlighter_free(hl);
}
