#include "core/prefix.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/template.h"
#include "agentkb/value.h"
#include "harness.h"

/* A loader over a fixed table, counting how often each template is fetched. */
struct fake_file {
	const char *name, *src;
	int loads;
};

struct fake_theme {
	struct fake_file *files;
	size_t n;
};

static int fake_load(void *ctx, const char *name, struct akb_buf *out, struct akb_buf *display_path)
{
	struct fake_theme *th = ctx;
	for (size_t i = 0; i < th->n; i++) {
		if (strcmp(th->files[i].name, name) == 0) {
			th->files[i].loads++;
			akb_buf_puts(out, th->files[i].src);
			akb_buf_printf(display_path, "themes/t/%s.mustache", name);
			return 0;
		}
	}
	return -1;
}

/* Renders `src` with `data` and no partials; returns a static-lifetime copy for STR_EQ. */
static char *render(struct akb_tpl_set *set, const char *src, const struct akb_value *data)
{
	struct akb_buf out = AKB_BUF_INIT;
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	if (akb_tpl_render_string(set, src, strlen(src), data, &out, &diag) != 0)
		akb_buf_puts(&out, "[FAILED]");
	akb_diag_release(&diag);
	return akb_buf_detach(&out, NULL);
}

#define RENDER_EQ(set, src, data, expected)                    \
	do {                                                   \
		char *got_s_ = render((set), (src), (data));   \
		STR_EQ(got_s_, expected);                      \
		free(got_s_);                                  \
	} while (0)

/* The first diagnostic, formatted as the sink shows it, after a failed render. */
static char *first_error(struct akb_tpl_set *set, const char *src, int *rc)
{
	struct akb_buf out = AKB_BUF_INIT, msg = AKB_BUF_INIT;
	struct akb_diag diag;
	struct akb_value data = AKB_VALUE_NULL;
	akb_diag_init(&diag, NULL);
	*rc = akb_tpl_render_string(set, src, strlen(src), &data, &out, &diag);
	if (diag.len)
		akb_diag_format(&diag.items[0], &msg);
	akb_diag_release(&diag);
	akb_buf_release(&out);
	return akb_buf_detach(&msg, NULL);
}

#define ERROR_EQ(set, src, expected)                        \
	do {                                                \
		int rc_;                                    \
		char *msg_ = first_error((set), (src), &rc_); \
		INT_EQ(rc_, -1);                            \
		STR_EQ(msg_, expected);                     \
		free(msg_);                                 \
	} while (0)

TEST(template_escapes_html)
{
	struct akb_tpl_set *set = akb_tpl_set_new(NULL, NULL);
	struct akb_value d = AKB_VALUE_NULL;
	akb_value_set_map(&d);
	akb_map_set_cstr(&d, "x", "<a href=\"u\">Tom & 'J'</a>");
	RENDER_EQ(set, "{{x}}", &d, "&lt;a href=&quot;u&quot;&gt;Tom &amp; &#39;J&#39;&lt;/a&gt;");
	RENDER_EQ(set, "{{{x}}}|{{& x }}", &d, "<a href=\"u\">Tom & 'J'</a>|<a href=\"u\">Tom & 'J'</a>");
	akb_map_set_number(&d, "n", 1.21);
	akb_map_set_number(&d, "i", 85);
	akb_map_set_bool(&d, "b", 1);
	RENDER_EQ(set, "{{n}} {{i}} {{b}} [{{missing}}]", &d, "1.21 85 true []");
	akb_value_release(&d);
	akb_tpl_set_free(set);
}

TEST(template_sections_over_lists_of_maps)
{
	struct akb_tpl_set *set = akb_tpl_set_new(NULL, NULL);
	struct akb_value d = AKB_VALUE_NULL;
	akb_value_set_map(&d);
	akb_map_set_cstr(&d, "site", "KB");
	struct akb_value *list = akb_map_set_list(&d, "agents");
	const char *names[] = { "alpha", "beta", "gamma" };
	for (int i = 0; i < 3; i++) {
		struct akb_value *a = akb_list_push(list);
		akb_value_set_map(a);
		akb_map_set_cstr(a, "name", names[i]);
		struct akb_value *tags = akb_map_set_list(a, "tags");
		for (int j = 0; j <= i; j++)
			akb_value_set_number(akb_list_push(tags), j);
	}
	akb_map_set_cstr(&d, "empty", "");
	akb_map_set_list(&d, "none");

	RENDER_EQ(set,
		  "<ul>\n"
		  "{{#agents}}\n"
		  "  <li>{{name}}@{{site}}:{{#tags}} {{.}}{{/tags}}</li>\n"
		  "{{/agents}}\n"
		  "{{^none}}\n"
		  "  <li>no more</li>\n"
		  "{{/none}}\n"
		  "</ul>\n",
		  &d,
		  "<ul>\n"
		  "  <li>alpha@KB: 0</li>\n"
		  "  <li>beta@KB: 0 1</li>\n"
		  "  <li>gamma@KB: 0 1 2</li>\n"
		  "  <li>no more</li>\n"
		  "</ul>\n");
	/* Our truthiness (value.h): an empty string hides its section. */
	RENDER_EQ(set, "[{{#empty}}shown{{/empty}}{{^empty}}hidden{{/empty}}]", &d, "[hidden]");
	/* Dotted names: maps, then list indexes after the first part. */
	RENDER_EQ(set, "{{agents.1.name}} {{agents.2.tags.2}} [{{agents.9.name}}]", &d, "beta 2 []");
	akb_value_release(&d);
	akb_tpl_set_free(set);
}

TEST(template_partials_from_loader_compile_once)
{
	struct fake_file files[] = {
		{ "page", "<main>\n  {{> card}}\n</main>\n{{>footer}}", 0 },
		{ "card", "<div>\n  {{title}}\n</div>\n", 0 },
		{ "footer", "<footer>{{>missing}}</footer>\n", 0 },
	};
	struct fake_theme th = { files, 3 };
	struct akb_tpl_set *set = akb_tpl_set_new(fake_load, &th);
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	struct akb_value d = AKB_VALUE_NULL;
	akb_value_set_map(&d);

	INT_EQ(akb_tpl_set_compile(set, "page", &diag), 0);
	INT_EQ(files[1].loads, 1);
	for (int i = 0; i < 3; i++) {
		struct akb_buf out = AKB_BUF_INIT;
		akb_map_set_number(&d, "title", i);
		INT_EQ(akb_tpl_render(set, "page", &d, &out, &diag), 0);
		char want[128];
		snprintf(want, sizeof want, "<main>\n  <div>\n    %d\n  </div>\n</main>\n<footer></footer>\n", i);
		STR_EQ(out.ptr, want);
		akb_buf_release(&out);
	}
	/* Compiled once, rendered three times: each file was read once. */
	INT_EQ(files[0].loads, 1);
	INT_EQ(files[1].loads, 1);
	INT_EQ(files[2].loads, 1);
	INT_EQ(diag.len, 0);

	/* A missing root template is an error; a missing partial is not. */
	struct akb_buf out = AKB_BUF_INIT;
	INT_EQ(akb_tpl_render(set, "nope", &d, &out, &diag), -1);
	INT_EQ(diag.len, 1);
	STR_EQ(diag.items[0].message, "template 'nope' not found");
	akb_buf_release(&out);

	akb_diag_release(&diag);
	akb_value_release(&d);
	akb_tpl_set_free(set);
}

TEST(template_partial_indentation_is_applied_when_rendering)
{
	struct akb_tpl_set *set = akb_tpl_set_new(NULL, NULL);
	const char *p = "<p>\n{{{body}}}\n</p>\n";
	akb_tpl_set_add(set, "p", p, strlen(p));
	struct akb_value d = AKB_VALUE_NULL;
	akb_value_set_map(&d);
	akb_map_set_cstr(&d, "body", "one\ntwo");
	/* One compiled partial at three indentations; values are not re-indented. */
	RENDER_EQ(set, "{{>p}}\n  {{>p}}\n\t\t{{>p}}\nx {{>p}}", &d,
		  "<p>\none\ntwo\n</p>\n"
		  "  <p>\n  one\ntwo\n  </p>\n"
		  "\t\t<p>\n\t\tone\ntwo\n\t\t</p>\n"
		  "x <p>\none\ntwo\n</p>\n");
	/* Nested standalone partials add up their indentation. */
	const char *outer = "<div>\n  {{>p}}\n</div>\n";
	akb_tpl_set_add(set, "outer", outer, strlen(outer));
	RENDER_EQ(set, "  {{>outer}}\n", &d, "  <div>\n    <p>\n    one\ntwo\n    </p>\n  </div>\n");
	akb_value_release(&d);
	akb_tpl_set_free(set);
}

TEST(template_set_add_replaces)
{
	struct akb_tpl_set *set = akb_tpl_set_new(NULL, NULL);
	akb_tpl_set_add(set, "p", "old", 3);
	RENDER_EQ(set, "[{{>p}}]", NULL, "[old]");
	akb_tpl_set_add(set, "p", "new", 3);
	RENDER_EQ(set, "[{{>p}}]", NULL, "[new]");
	akb_tpl_set_add(set, "q", "Q", 1);
	akb_tpl_set_add(set, "main", "{{>q}}{{>r}}", 12);
	struct akb_buf out = AKB_BUF_INIT;
	INT_EQ(akb_tpl_render(set, "main", NULL, &out, NULL), 0);
	STR_EQ(out.ptr, "Q");
	/* "r" was missing when "main" compiled; adding it later is seen. */
	akb_tpl_set_add(set, "r", "R", 1);
	akb_buf_clear(&out);
	INT_EQ(akb_tpl_render(set, "main", NULL, &out, NULL), 0);
	STR_EQ(out.ptr, "QR");
	akb_buf_release(&out);
	akb_tpl_set_free(set);
}

TEST(template_inheritance)
{
	struct akb_tpl_set *set = akb_tpl_set_new(NULL, NULL);
	const char *base = "<html>\n"
			   "<head><title>{{$title}}KB{{/title}}</title></head>\n"
			   "<body>\n"
			   "  {{$content}}\n"
			   "  <p>nothing here</p>\n"
			   "  {{/content}}\n"
			   "</body>\n"
			   "</html>\n";
	const char *page = "{{<base}}\n"
			   "{{$title}}{{name}} - {{$site}}KB{{/site}}{{/title}}\n"
			   "{{$content}}\n"
			   "<h1>{{name}}</h1>\n"
			   "{{#tags}}\n"
			   "<span>{{.}}</span>\n"
			   "{{/tags}}\n"
			   "{{/content}}\n"
			   "{{/base}}\n";
	const char *special = "{{<page}}{{$site}}Special{{/site}}{{/page}}";
	akb_tpl_set_add(set, "base", base, strlen(base));
	akb_tpl_set_add(set, "page", page, strlen(page));
	akb_tpl_set_add(set, "special", special, strlen(special));
	struct akb_value d = AKB_VALUE_NULL;
	akb_value_set_map(&d);
	akb_map_set_cstr(&d, "name", "Coder");
	struct akb_value *tags = akb_map_set_list(&d, "tags");
	akb_value_set_cstr(akb_list_push(tags), "a");
	akb_value_set_cstr(akb_list_push(tags), "b");

	RENDER_EQ(set, "{{>base}}", &d,
		  "<html>\n<head><title>KB</title></head>\n<body>\n  <p>nothing here</p>\n</body>\n</html>\n");
	const char *want = "<html>\n"
			   "<head><title>Coder - KB</title></head>\n"
			   "<body>\n"
			   "  <h1>Coder</h1>\n"
			   "  <span>a</span>\n"
			   "  <span>b</span>\n"
			   "</body>\n"
			   "</html>\n";
	RENDER_EQ(set, "{{>page}}", &d, want);
	/* The outermost argument wins, even inside an argument of a lower level. */
	char *got = render(set, "{{>special}}", &d);
	CHECK(strstr(got, "<title>Coder - Special</title>") != NULL);
	free(got);
	akb_value_release(&d);
	akb_tpl_set_free(set);
}

TEST(template_dynamic_partials)
{
	struct akb_tpl_set *set = akb_tpl_set_new(NULL, NULL);
	const char *text = "T:{{content}}\n", *image = "<img src=\"{{url}}\">\n";
	akb_tpl_set_add(set, "text", text, strlen(text));
	akb_tpl_set_add(set, "image", image, strlen(image));
	struct akb_value d = AKB_VALUE_NULL;
	akb_value_set_map(&d);
	struct akb_value *items = akb_map_set_list(&d, "items");
	struct akb_value *a = akb_list_push(items);
	akb_value_set_map(a);
	akb_map_set_cstr(a, "kind", "text");
	akb_map_set_cstr(a, "content", "hi");
	a = akb_list_push(items);
	akb_value_set_map(a);
	akb_map_set_cstr(a, "kind", "image");
	akb_map_set_cstr(a, "url", "x.png");
	a = akb_list_push(items);
	akb_value_set_map(a);
	akb_map_set_cstr(a, "kind", "unknown");
	/* Unknown names render as nothing, like missing partials. */
	RENDER_EQ(set, "{{#items}}\n  {{>*kind}}\n{{/items}}\n", &d, "  T:hi\n  <img src=\"x.png\">\n");
	akb_value_release(&d);
	akb_tpl_set_free(set);
}

TEST(template_error_positions)
{
	struct akb_tpl_set *set = akb_tpl_set_new(NULL, NULL);
	ERROR_EQ(set, "line one\n  {{#items}}\n  x\n", "<string>:2:3: error: unclosed section 'items'");
	ERROR_EQ(set, "{{#a}}\n{{^b}}\n\t{{/a}}\n",
		 "<string>:3:2: error: mismatched end tag 'a': expected 'b' (opened at line 2, column 1)");
	ERROR_EQ(set, "ok\nab {{/a}}", "<string>:2:4: error: unexpected end tag 'a'");
	ERROR_EQ(set, "one\ntwo {{name\nthree", "<string>:2:5: error: unclosed tag: missing '}}'");
	ERROR_EQ(set, "{{{raw}}", "<string>:1:1: error: unclosed tag: missing '}}}'");
	ERROR_EQ(set, "{{=<% %>=}}\n<%#a%>\n  {{/a}}\n<%x", "<string>:4:1: error: unclosed tag: missing '%>'");
	ERROR_EQ(set, "{{=<%>=}}", "<string>:1:1: error: invalid set delimiters tag");
	ERROR_EQ(set, "a {{ }}", "<string>:1:3: error: missing name in tag");
	ERROR_EQ(set, "{{<p}}{{$b}}x{{/p}}",
		 "<string>:1:14: error: mismatched end tag 'p': expected 'b' (opened at line 1, column 7)");
	ERROR_EQ(set, "\n\n   {{$b}}", "<string>:3:4: error: unclosed block 'b'");
	akb_tpl_set_free(set);

	/* Errors in a loaded partial carry the loader's display path. */
	struct fake_file files[] = {
		{ "page", "{{#x}}\n  {{>card}}\n{{/x}}\n", 0 },
		{ "card", "<div>\n  {{#open}}\n</div>\n", 0 },
	};
	struct fake_theme th = { files, 2 };
	set = akb_tpl_set_new(fake_load, &th);
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	struct akb_buf out = AKB_BUF_INIT, msg = AKB_BUF_INIT;
	INT_EQ(akb_tpl_set_compile(set, "page", &diag), -1);
	INT_EQ(diag.len, 1);
	if (diag.len)
		akb_diag_format(&diag.items[0], &msg);
	STR_EQ(msg.ptr, "themes/t/card.mustache:2:3: error: unclosed section 'open'");
	/* Rendering reports it again rather than failing silently. */
	INT_EQ(akb_tpl_render(set, "page", NULL, &out, &diag), -1);
	INT_EQ(diag.len, 2);
	INT_EQ(files[1].loads, 1);
	akb_buf_release(&msg);
	akb_buf_release(&out);
	akb_diag_release(&diag);
	akb_tpl_set_free(set);
}

TEST(template_recursion_is_bounded)
{
	struct akb_tpl_set *set = akb_tpl_set_new(NULL, NULL);
	akb_tpl_set_add(set, "self", "x{{>self}}", 10);
	ERROR_EQ(set, "{{>self}}",
		 "self:1:2: error: templates nested too deeply (more than 1024 levels): recursive partial 'self'?");
	/* Pathological sources fail cleanly, without deep recursion. */
	struct akb_buf src = AKB_BUF_INIT;
	for (int i = 0; i < 100000; i++)
		akb_buf_puts(&src, "{{#a}}");
	ERROR_EQ(set, src.ptr, "<string>:1:1537: error: sections nested too deeply (more than 256)");
	akb_buf_clear(&src);
	for (int i = 0; i < 100000; i++)
		akb_buf_puts(&src, "{{{");
	ERROR_EQ(set, src.ptr, "<string>:1:1: error: unclosed tag: missing '}}}'");
	akb_buf_release(&src);
	akb_tpl_set_free(set);
}

TEST(template_large_list_renders_linearly)
{
	enum { N = 10000 };
	struct akb_tpl_set *set = akb_tpl_set_new(NULL, NULL);
	const char *row = "  <li><a href=\"{{url}}\">{{name}}</a> {{#tags}}<b>{{.}}</b>{{/tags}}</li>\n";
	akb_tpl_set_add(set, "row", row, strlen(row));
	struct akb_value d = AKB_VALUE_NULL;
	akb_value_set_map(&d);
	struct akb_value *list = akb_map_set_list(&d, "items");
	for (int i = 0; i < N; i++) {
		struct akb_value *it = akb_list_push(list);
		char buf[32];
		akb_value_set_map(it);
		snprintf(buf, sizeof buf, "agent-%d", i);
		akb_map_set_cstr(it, "name", buf);
		snprintf(buf, sizeof buf, "/a/%d/", i);
		akb_map_set_cstr(it, "url", buf);
		struct akb_value *tags = akb_map_set_list(it, "tags");
		akb_value_set_cstr(akb_list_push(tags), "x&y");
	}
	const char *page = "<ul>\n{{#items}}\n  {{>row}}\n{{/items}}\n</ul>\n";
	struct akb_buf out = AKB_BUF_INIT;
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	INT_EQ(akb_tpl_render_string(set, page, strlen(page), &d, &out, &diag), 0);
	/* Each row is indented twice: by the partial tag and by the row itself. */
	CHECK(strncmp(out.ptr, "<ul>\n    <li><a href=\"/a/0/\">agent-0</a> <b>x&amp;y</b></li>\n", 61) == 0);
	CHECK(strstr(out.ptr, "    <li><a href=\"/a/9999/\">agent-9999</a> <b>x&amp;y</b></li>\n</ul>\n") != NULL);
	size_t lines = 0;
	for (size_t i = 0; i < out.len; i++)
		lines += out.ptr[i] == '\n';
	INT_EQ(lines, N + 2);
	akb_buf_release(&out);
	akb_diag_release(&diag);
	akb_value_release(&d);
	akb_tpl_set_free(set);
}

struct thread_job {
	struct akb_tpl_set *set;
	const struct akb_value *data;
	int ok;
};

static void *render_many(void *arg)
{
	struct thread_job *job = arg;
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	job->ok = 1;
	for (int i = 0; i < 200; i++) {
		struct akb_buf out = AKB_BUF_INIT;
		if (akb_tpl_render(job->set, "page", job->data, &out, &diag) != 0 ||
		    strcmp(out.ptr, "<h1>T</h1>\n  <i>1</i>\n  <i>2</i>\n[dyn T]") != 0)
			job->ok = 0;
		akb_buf_release(&out);
	}
	akb_diag_release(&diag);
	return NULL;
}

TEST(template_renders_from_threads_after_compile_all)
{
	struct akb_tpl_set *set = akb_tpl_set_new(NULL, NULL);
	const char *page = "<h1>{{title}}</h1>\n{{#n}}\n  {{>item}}\n{{/n}}\n[{{>*which}}]";
	akb_tpl_set_add(set, "page", page, strlen(page));
	akb_tpl_set_add(set, "item", "<i>{{.}}</i>\n", strlen("<i>{{.}}</i>\n"));
	akb_tpl_set_add(set, "dyn", "dyn {{title}}", 13);
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	INT_EQ(akb_tpl_set_compile_all(set, &diag), 0);
	struct akb_value d = AKB_VALUE_NULL;
	akb_value_set_map(&d);
	akb_map_set_cstr(&d, "title", "T");
	akb_map_set_cstr(&d, "which", "dyn");
	struct akb_value *n = akb_map_set_list(&d, "n");
	akb_value_set_number(akb_list_push(n), 1);
	akb_value_set_number(akb_list_push(n), 2);

	pthread_t th[4];
	struct thread_job jobs[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct thread_job){ set, &d, 0 };
		pthread_create(&th[i], NULL, render_many, &jobs[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK(jobs[i].ok);
	}
	akb_diag_release(&diag);
	akb_value_release(&d);
	akb_tpl_set_free(set);
}
