/* Unit tests for the pieces of agentkb bundle: minifiers, HTML scanner, base64, bundle kinds. */
#include "core/prefix.h"

#include <stdlib.h>
#include <string.h>

#include "agentkb/bundle.h"
#include "agentkb/html.h"
#include "agentkb/minify.h"
#include "harness.h"

static char *S_css(const char *in)
{
	struct akb_buf b = AKB_BUF_INIT;
	akb_minify_css(&b, in, strlen(in));
	return akb_buf_detach(&b, NULL);
}

static char *S_js(const char *in)
{
	struct akb_buf b = AKB_BUF_INIT;
	akb_minify_js(&b, in, strlen(in));
	return akb_buf_detach(&b, NULL);
}

#define CSS(in, want)                  \
	do {                           \
		char *min_ = S_css(in);  \
		STR_EQ(min_, want);     \
		free(min_);             \
	} while (0)
#define JS(in, want)                  \
	do {                          \
		char *min_ = S_js(in);  \
		STR_EQ(min_, want);    \
		free(min_);            \
	} while (0)

TEST(minify_css)
{
	CSS("a:hover {\n  color: red;\n}\n", "a:hover{color:red}");
	CSS("/* c */ a , b > c { x: 1 }", "a,b>c{x:1}");
	/* Spaces that matter: descendant selectors, "and (" in media queries, values. */
	CSS("div  p { margin: 0 auto }", "div p{margin:0 auto}");
	CSS("@media screen and (max-width: 900px) { a { b: c } }", "@media screen and (max-width:900px){a{b:c}}");
	CSS("a { width: calc(1px + 2px) }", "a{width:calc(1px + 2px)}");
	/* A custom property whose value is a space keeps it. */
	CSS(":root { --on: ; color: red }", ":root{--on: ;color:red}");
	CSS(":root { --on: }", ":root{--on: }");
	/* Strings are copied as they are, comment-like text included. */
	CSS("a::before { content: \"x  /* y */ ;\" }", "a::before{content:\"x  /* y */ ;\"}");
	CSS("a{font:'A  B'}", "a{font:'A  B'}");
	CSS("", "");
}

TEST(minify_js)
{
	JS("var a = 1;  // comment\nvar b = 2;", "var a=1;var b=2;");
	JS("/* block */ f ( x ) ;", "f(x);");
	/* Line breaks stay where automatic semicolon insertion may need them. */
	JS("return\nx", "return\nx");
	JS("a = b\n(c)", "a=b\n(c)");
	JS("{\n  a();\n}\n", "{a();}");
	/* Neighbours that must stay apart. */
	JS("a + +b; c - -d; e + ++f", "a+ +b;c- -d;e+ ++f");
	JS("1 .toString()", "1 .toString()");
	JS("typeof x === \"y\"", "typeof x===\"y\"");
	/* Strings, template literals and regular expressions are copied untouched. */
	JS("s = \"a  // b\";", "s=\"a  // b\";");
	JS("s = 'it''s'", "s='it''s'");
	JS("t = `a  ${ b + `c  ${ d }` }  e`", "t=`a  ${b+`c  ${d}`}  e`");
	JS("t = `${ {a: 1}.a }  x`", "t=`${{a:1}.a}  x`");
	JS("r = /[/]\\/  x/g.test(s)", "r=/[/]\\/  x/g.test(s)");
	JS("if (/^ a/.test(s)) x = a / b / c", "if(/^ a/.test(s))x=a/b/c");
	JS("return /  x/", "return/  x/"); /* still a regex after return */
	JS("x = y.return / 2 / 3", "x=y.return/2/3");
	JS("a = \"</script>\"", "a=\"</script>\"");
	JS("", "");
}

TEST(html_scanner)
{
	const char *s = "<!DOCTYPE html><p class=\"a > b\" id=x data-y='1'>T<br/><script>if (a<b) x('<p>')</script>"
			"<!-- <a> --></p>";
	struct akb_html_scanner sc;
	struct akb_html_token t;
	akb_html_scan_init(&sc, s, strlen(s));
	int kinds[16], n = 0;
	while (n < 16 && akb_html_scan_next(&sc, &t)) {
		kinds[n] = t.kind;
		if (t.kind == AKB_HTML_START && akb_html_name_is(t.name, t.name_len, "p")) {
			struct akb_html_attr a;
			CHECK(akb_html_attr_find(s, &t, "class", &a));
			INT_EQ(a.value_end - a.value, 5);
			CHECK(!strncmp(s + a.value, "a > b", 5));
			CHECK(akb_html_attr_find(s, &t, "id", &a) && s[a.value] == 'x' && a.value_end - a.value == 1);
			CHECK(akb_html_attr_find(s, &t, "data-y", &a) && s[a.value] == '1');
			CHECK(!akb_html_attr_find(s, &t, "href", &a));
		}
		if (t.kind == AKB_HTML_START && akb_html_name_is(t.name, t.name_len, "br"))
			CHECK(t.self_closing);
		n++;
	}
	/* doctype, <p>, T, <br/>, <script>, its text (the '<' inside is not a tag), </script>, comment, </p> */
	INT_EQ(n, 9);
	int want[] = { AKB_HTML_OTHER, AKB_HTML_START, AKB_HTML_TEXT, AKB_HTML_START, AKB_HTML_START,
		       AKB_HTML_TEXT, AKB_HTML_END, AKB_HTML_COMMENT, AKB_HTML_END };
	for (int i = 0; i < 9 && i < n; i++)
		INT_EQ(kinds[i], want[i]);
	CHECK(akb_html_is_void("IMG", 3) && !akb_html_is_void("p", 1));
}

TEST(html_unescape)
{
	struct akb_buf b = AKB_BUF_INIT;
	const char *in = "a&amp;b&lt;&gt;&quot;&#39;&#x4E2D;&#25991;&bogus;&amp&;";
	akb_html_unescape(&b, in, strlen(in));
	STR_EQ(b.ptr, "a&b<>\"'中文&bogus;&amp&;");
	akb_buf_release(&b);
}

TEST(base64)
{
	const char *in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	const char *want[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
	for (int i = 0; i < 7; i++) {
		struct akb_buf b = AKB_BUF_INIT;
		akb_buf_put_base64(&b, in[i], strlen(in[i]));
		STR_EQ(b.ptr, want[i]);
		akb_buf_release(&b);
	}
}

TEST(bundle_kinds)
{
	INT_EQ(akb_bundle_kind_of("agents.html"), AKB_BUNDLE_HTML);
	INT_EQ(akb_bundle_kind_of("out/KB.HTML"), AKB_BUNDLE_HTML);
	INT_EQ(akb_bundle_kind_of("agents.zip"), AKB_BUNDLE_ZIP);
	INT_EQ(akb_bundle_kind_of("agents.tar.gz"), AKB_BUNDLE_TAR_GZ);
	INT_EQ(akb_bundle_kind_of("agents.tgz"), AKB_BUNDLE_TAR_GZ);
	INT_EQ(akb_bundle_kind_of("agents.rar"), AKB_BUNDLE_NONE);
	INT_EQ(akb_bundle_kind_of("agents.gz"), AKB_BUNDLE_NONE);
	INT_EQ(akb_bundle_kind_of("out/.zip"), AKB_BUNDLE_NONE);
	INT_EQ(akb_bundle_kind_of("out/"), AKB_BUNDLE_NONE);
	INT_EQ(akb_bundle_kind_of("public"), AKB_BUNDLE_NONE);
}
