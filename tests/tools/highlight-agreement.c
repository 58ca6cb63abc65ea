/*
 * highlight-agreement: compares agentkb's highlighter with the `highlight`
 * program it follows, character by character, over every fenced code block
 * of the Markdown files under the given folders, and measures both.
 *
 *   highlight-agreement [-v] [-j N] DIR...   agreement table; exit 1 if a
 *                                            required language is < 98%
 *   highlight-agreement [-j N] --bench [--no-reference] DIR...
 *                                            MB/s for agentkb on 1..N threads,
 *                                            and for highlight
 *   highlight-agreement --html LANG          stdin as highlight-style HTML
 *
 * Blocks come from cmark-gfm, as the site builder sees them. For each block
 * the reference is `highlight -O html --fragment --syntax=DEF`, its spans
 * parsed and entities decoded; a character's class is the class of its
 * first byte. Blocks run on N threads (default: the number of CPUs), which
 * also exercises the highlighter's thread safety.
 */
#include "core/prefix.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmark-gfm.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/highlight.h"
#include "agentkb/utf8.h"

/* Languages the issue requires at 98% or better (definition names). */
static const char *const S_required[] = {
	"ts", "js", "python", "sql", "yaml", "sh", "json", "go", "rs", "docker", "java", "c", "ruby", "css", "html",
};
#define THRESHOLD 98.0

struct block {
	char *path;
	int line;
	const char *def;
	char *code; /* with cmark's final newline */
	size_t len;
	/* results */
	size_t chars, agree, chars_nows, agree_nows;
	int text_mismatch, failed;
	char *report; /* -v: where the classes differ */
};

static struct block *S_blocks;
static size_t S_nblocks, S_capblocks;
static struct akb_highlighter *S_hl;
static int S_verbose;

/* ---- collecting blocks -------------------------------------------------- */

static char *S_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct akb_buf b = AKB_BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		akb_buf_put(&b, chunk, n);
	fclose(f);
	return akb_buf_detach(&b, len);
}

static void S_add_block(const char *path, int line, const char *def, const char *code)
{
	if (S_nblocks == S_capblocks) {
		S_capblocks = S_capblocks ? S_capblocks * 2 : 256;
		S_blocks = akb_xrealloc(S_blocks, akb_xmul(S_capblocks, sizeof(*S_blocks)));
	}
	struct block *b = &S_blocks[S_nblocks++];
	memset(b, 0, sizeof(*b));
	b->path = akb_xstrdup(path);
	b->line = line;
	b->def = def;
	b->code = akb_xstrdup(code);
	b->len = strlen(code);
}

static void S_scan_markdown(const char *path)
{
	size_t len;
	char *text = S_read_file(path, &len);
	if (!text)
		return;
	cmark_node *doc = cmark_parse_document(text, len, CMARK_OPT_DEFAULT);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK)
			continue;
		int flen, foff;
		char fch;
		if (!cmark_node_get_fenced(n, &flen, &foff, &fch))
			continue;
		const char *info = cmark_node_get_fence_info(n);
		size_t l = 0;
		while (info && info[l] && info[l] != ' ' && info[l] != '\t' && info[l] != '{')
			l++;
		const char *def = akb_highlighter_resolve(S_hl, info, l);
		const char *code = cmark_node_get_literal(n);
		if (def && code && *code)
			S_add_block(path, cmark_node_get_start_line(n), def, code);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	free(text);
}

static int S_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void S_walk(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "highlight-agreement: cannot open '%s'\n", dir);
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = akb_xrealloc(names, akb_xmul(cap, sizeof(*names)));
		}
		names[n++] = akb_xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), S_cmp_str);
	for (size_t i = 0; i < n; i++) {
		struct akb_buf p = AKB_BUF_INIT;
		akb_buf_printf(&p, "%s/%s", dir, names[i]);
		struct stat st;
		if (stat(p.ptr, &st) == 0) {
			size_t l = strlen(names[i]);
			if (S_ISDIR(st.st_mode))
				S_walk(p.ptr);
			else if (l > 3 && !strcmp(names[i] + l - 3, ".md"))
				S_scan_markdown(p.ptr);
		}
		akb_buf_release(&p);
		free(names[i]);
	}
	free(names);
}

/* ---- our classes and highlight's ---------------------------------------- */

struct classes {
	struct akb_buf text;
	unsigned char *cls;
	size_t cap;
};

static void S_classes_put(struct classes *c, int cls, const char *s, size_t n)
{
	if (c->text.len + n > c->cap) {
		c->cap = (c->text.len + n) * 2 + 64;
		c->cls = akb_xrealloc(c->cls, c->cap);
	}
	memset(c->cls + c->text.len, cls, n);
	akb_buf_put(&c->text, s, n);
}

static void S_collect(void *ctx, int cls, const char *text, size_t len)
{
	S_classes_put(ctx, cls, text, len);
}

static void S_classes_release(struct classes *c)
{
	akb_buf_release(&c->text);
	free(c->cls);
	c->cls = NULL;
	c->cap = 0;
}

static int S_class_of_name(const char *s, size_t n)
{
	for (int c = 1; c < AKB_HL_KEYWORD + AKB_HL_KEYWORD_GROUPS; c++) {
		const char *name = akb_hl_class_name(c);
		if (name && strlen(name) == n && !memcmp(name, s, n))
			return c;
	}
	return AKB_HL_PLAIN;
}

/* Parses highlight's HTML fragment into text and classes. */
static void S_parse_html(const char *h, size_t n, struct classes *out)
{
	int stack[16], depth = 0, cls = AKB_HL_PLAIN;
	size_t i = 0;
	while (i < n) {
		if (h[i] == '<') {
			const char *gt = memchr(h + i, '>', n - i);
			if (!gt)
				break;
			if (h[i + 1] == '/') {
				cls = depth ? stack[--depth] : AKB_HL_PLAIN;
			} else {
				const char *q = strstr(h + i, "class=\"");
				int c = AKB_HL_PLAIN;
				if (q && q < gt) {
					q += 7;
					if (!strncmp(q, "hl ", 3))
						q += 3;
					const char *e = memchr(q, '"', (size_t)(gt - q));
					if (e)
						c = S_class_of_name(q, (size_t)(e - q));
				}
				if (depth < 16)
					stack[depth++] = cls;
				cls = c;
			}
			i = (size_t)(gt - h) + 1;
		} else if (h[i] == '&') {
			const char *semi = memchr(h + i, ';', n - i < 12 ? n - i : 12);
			char ch = '&';
			size_t skip = 1;
			if (semi) {
				size_t l = (size_t)(semi - h) - i + 1;
				if (!strncmp(h + i, "&lt;", l)) ch = '<';
				else if (!strncmp(h + i, "&gt;", l)) ch = '>';
				else if (!strncmp(h + i, "&amp;", l)) ch = '&';
				else if (!strncmp(h + i, "&quot;", l)) ch = '"';
				else if (!strncmp(h + i, "&apos;", l)) ch = '\'';
				else if (h[i + 1] == '#') ch = (char)strtol(h + i + 2, NULL, h[i + 2] == 'x' ? 16 : 10);
				skip = l;
			}
			S_classes_put(out, cls, &ch, 1);
			i += skip;
		} else {
			size_t j = i;
			while (j < n && h[j] != '<' && h[j] != '&')
				j++;
			S_classes_put(out, cls, h + i, j - i);
			i = j;
		}
	}
}

/* Runs `highlight` on `code`; returns its HTML (caller frees) or NULL. */
static char *S_reference(const char *def, const char *code, size_t len, size_t *outlen)
{
	char tmpl[] = "/tmp/akb-hl-XXXXXX";
	int fd = mkstemp(tmpl);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "wb");
	fwrite(code, 1, len, f);
	fclose(f);
	struct akb_buf cmd = AKB_BUF_INIT;
	akb_buf_printf(&cmd, "highlight -O html --fragment --syntax=%s < %s 2>/dev/null", def, tmpl);
	FILE *p = popen(cmd.ptr, "r");
	akb_buf_release(&cmd);
	if (!p) {
		unlink(tmpl);
		return NULL;
	}
	struct akb_buf b = AKB_BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		akb_buf_put(&b, chunk, n);
	int st = pclose(p);
	unlink(tmpl);
	if (st != 0) {
		akb_buf_release(&b);
		return NULL;
	}
	return akb_buf_detach(&b, outlen);
}

/* ---- comparing ---------------------------------------------------------- */

static void S_compare(struct block *b)
{
	struct classes ours = { AKB_BUF_INIT, NULL, 0 }, ref = { AKB_BUF_INIT, NULL, 0 };
	struct akb_buf err = AKB_BUF_INIT;
	/* The renderer highlights the block without cmark's final newline. */
	size_t len = b->len && b->code[b->len - 1] == '\n' ? b->len - 1 : b->len;
	if (akb_highlight(S_hl, b->def, b->code, len, S_collect, &ours, &err) < 0) {
		b->failed = 1;
		if (S_verbose)
			fprintf(stderr, "%s:%d: %s: %s\n", b->path, b->line, b->def, err.ptr);
	}
	akb_buf_release(&err);
	size_t hlen;
	char *html = S_reference(b->def, b->code, b->len, &hlen);
	if (html) {
		S_parse_html(html, hlen, &ref);
		free(html);
	}
	/* Our text is the code; highlight's drops CRs before newlines and always ends with one. */
	struct classes mine = { AKB_BUF_INIT, NULL, 0 };
	if (!b->failed)
		for (size_t i = 0; i < ours.text.len; i++)
			if (!(ours.text.ptr[i] == '\r' && (i + 1 == ours.text.len || ours.text.ptr[i + 1] == '\n')))
				S_classes_put(&mine, ours.cls[i], ours.text.ptr + i, 1);
	if (ref.text.len && ref.text.ptr[ref.text.len - 1] == '\n')
		ref.text.len--;
	if (!b->failed && (mine.text.len != ref.text.len || memcmp(mine.text.ptr, ref.text.ptr, ref.text.len)))
		b->text_mismatch = 1;

	struct akb_buf rep = AKB_BUF_INIT;
	size_t i = 0, n = ref.text.len;
	const char *t = ref.text.ptr;
	while (i < n) {
		size_t at = i;
		akb_utf8_next(t, n, &i);
		int ok = !b->failed && !b->text_mismatch && mine.cls[at] == ref.cls[at];
		int ws = t[at] == ' ' || t[at] == '\t' || t[at] == '\n';
		b->chars++;
		b->agree += ok;
		if (!ws) {
			b->chars_nows++;
			b->agree_nows += ok;
		}
		if (S_verbose && !ok && !b->failed && !b->text_mismatch && rep.len < 4000) {
			const char *a = akb_hl_class_name(mine.cls[at]), *r = akb_hl_class_name(ref.cls[at]);
			size_t ls = at, le = at;
			while (ls && t[ls - 1] != '\n')
				ls--;
			while (le < n && t[le] != '\n')
				le++;
			akb_buf_printf(&rep, "    col %zu '%.*s': ours %s, highlight %s | %.*s\n", at - ls + 1,
				       (int)(i - at), t + at, a ? a : "-", r ? r : "-", (int)(le - ls), t + ls);
		}
	}
	if (rep.len)
		b->report = akb_buf_detach(&rep, NULL);
	akb_buf_release(&rep);
	S_classes_release(&ours);
	S_classes_release(&ref);
	S_classes_release(&mine);
}

static pthread_mutex_t S_next_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t S_next;

static void *S_worker(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&S_next_lock);
		size_t i = S_next++;
		pthread_mutex_unlock(&S_next_lock);
		if (i >= S_nblocks)
			return NULL;
		S_compare(&S_blocks[i]);
	}
}

struct lang_row {
	const char *def;
	size_t blocks, chars, agree, chars_nows, agree_nows, failed, mismatch;
};

static int S_agreement(int jobs)
{
	pthread_t *th = akb_xcalloc((size_t)jobs, sizeof(*th));
	for (int i = 0; i < jobs; i++)
		pthread_create(&th[i], NULL, S_worker, NULL);
	for (int i = 0; i < jobs; i++)
		pthread_join(th[i], NULL);
	free(th);

	struct lang_row *rows = NULL;
	size_t nrows = 0;
	for (size_t i = 0; i < S_nblocks; i++) {
		struct block *b = &S_blocks[i];
		size_t r = 0;
		while (r < nrows && strcmp(rows[r].def, b->def))
			r++;
		if (r == nrows) {
			rows = akb_xrealloc(rows, akb_xmul(nrows + 1, sizeof(*rows)));
			memset(&rows[nrows++], 0, sizeof(*rows));
			rows[r].def = b->def;
		}
		rows[r].blocks++;
		rows[r].chars += b->chars;
		rows[r].agree += b->agree;
		rows[r].chars_nows += b->chars_nows;
		rows[r].agree_nows += b->agree_nows;
		rows[r].failed += b->failed;
		rows[r].mismatch += b->text_mismatch;
		if (S_verbose && b->chars && (b->agree < b->chars || b->failed || b->text_mismatch)) {
			printf("%s:%d: %s: %zu of %zu characters agree%s%s\n", b->path, b->line, b->def, b->agree,
			       b->chars, b->failed ? " (highlighting failed)" : "",
			       b->text_mismatch ? " (highlight changed the text)" : "");
			if (b->report)
				fputs(b->report, stdout);
		}
	}
	int status = 0;
	size_t tb = 0, tc = 0, ta = 0;
	printf("%-12s %7s %9s %9s %10s %6s\n", "language", "blocks", "chars", "agree%", "non-ws%", "notes");
	for (size_t r = 0; r < nrows; r++) {
		struct lang_row *w = &rows[r];
		double pct = w->chars ? 100.0 * (double)w->agree / (double)w->chars : 100.0;
		double pnw = w->chars_nows ? 100.0 * (double)w->agree_nows / (double)w->chars_nows : 100.0;
		int req = 0;
		for (size_t k = 0; k < sizeof(S_required) / sizeof(S_required[0]); k++)
			req |= !strcmp(S_required[k], w->def);
		printf("%-12s %7zu %9zu %8.2f%% %9.2f%% %s%s%s%s\n", w->def, w->blocks, w->chars, pct, pnw,
		       req ? "required" : "", w->failed ? " failed-blocks" : "", w->mismatch ? " text-changed" : "",
		       req && pct < THRESHOLD ? " BELOW-98%" : "");
		if (req && pct < THRESHOLD)
			status = 1;
		tb += w->blocks;
		tc += w->chars;
		ta += w->agree;
	}
	printf("%-12s %7zu %9zu %8.2f%%\n", "all", tb, tc, tc ? 100.0 * (double)ta / (double)tc : 100.0);
	for (size_t k = 0; k < sizeof(S_required) / sizeof(S_required[0]); k++) {
		size_t r = 0;
		while (r < nrows && strcmp(rows[r].def, S_required[k]))
			r++;
		if (r == nrows) {
			printf("required language %s: no blocks found\n", S_required[k]);
			status = 1;
		}
	}
	free(rows);
	return status;
}

/* ---- benchmark ---------------------------------------------------------- */

static double S_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void S_discard(void *ctx, int cls, const char *text, size_t len)
{
	(void)cls;
	(void)text;
	*(size_t *)ctx += len;
}

struct bench_job {
	double seconds;
	int reps;
};

static void *S_bench_thread(void *arg)
{
	struct bench_job *job = arg;
	size_t sink = 0;
	double t0 = S_now();
	do {
		for (size_t i = 0; i < S_nblocks; i++)
			akb_highlight(S_hl, S_blocks[i].def, S_blocks[i].code, S_blocks[i].len, S_discard, &sink,
				      NULL);
		job->reps++;
		job->seconds = S_now() - t0;
	} while (job->seconds < 1.0);
	return NULL;
}

static int S_bench(int reference, int jobs)
{
	size_t bytes = 0;
	for (size_t i = 0; i < S_nblocks; i++)
		bytes += S_blocks[i].len;
	/* Warm up: definitions load once, outside the timing. */
	size_t sink = 0;
	for (size_t i = 0; i < S_nblocks; i++)
		akb_highlight(S_hl, S_blocks[i].def, S_blocks[i].code, S_blocks[i].len, S_discard, &sink, NULL);
	double ours = 0;
	for (int n = 1; n <= jobs; n = n < jobs && n * 2 > jobs ? jobs : n * 2) {
		struct bench_job *job = akb_xcalloc((size_t)n, sizeof(*job));
		pthread_t *th = akb_xcalloc((size_t)n, sizeof(*th));
		for (int i = 0; i < n; i++)
			pthread_create(&th[i], NULL, S_bench_thread, &job[i]);
		double rate = 0;
		for (int i = 0; i < n; i++) {
			pthread_join(th[i], NULL);
			rate += (double)bytes * job[i].reps / job[i].seconds / 1e6;
		}
		printf("agentkb:   %zu blocks, %.2f MB, %.1f MB/s (%d thread%s)\n", S_nblocks, (double)bytes / 1e6, rate,
		       n, n > 1 ? "s" : "");
		if (n == 1)
			ours = rate;
		free(job);
		free(th);
		if (n == jobs)
			break;
	}
	if (!reference)
		return 0;
	/* highlight: one process per language over all its blocks, so start-up hardly counts. */
	double ht = 0;
	size_t hbytes = 0;
	for (size_t i = 0; i < S_nblocks; i++) {
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = S_blocks[j].def == S_blocks[i].def;
		if (seen)
			continue;
		char tmpl[] = "/tmp/akb-hl-bench-XXXXXX";
		int fd = mkstemp(tmpl);
		if (fd < 0)
			return 1;
		FILE *f = fdopen(fd, "wb");
		for (size_t j = i; j < S_nblocks; j++)
			if (S_blocks[j].def == S_blocks[i].def) {
				fwrite(S_blocks[j].code, 1, S_blocks[j].len, f);
				hbytes += S_blocks[j].len;
			}
		fclose(f);
		struct akb_buf cmd = AKB_BUF_INIT;
		akb_buf_printf(&cmd, "highlight -O html --fragment --syntax=%s < %s > /dev/null 2>&1", S_blocks[i].def,
			       tmpl);
		double s = S_now();
		int rc = system(cmd.ptr);
		ht += S_now() - s;
		(void)rc;
		akb_buf_release(&cmd);
		unlink(tmpl);
	}
	double theirs = ht > 0 ? (double)hbytes / ht / 1e6 : 0;
	printf("highlight: %.2f MB, %.1f MB/s (one process per language)\n", (double)hbytes / 1e6, theirs);
	if (theirs > 0)
		printf("ratio:     agentkb on one thread is %.1fx the speed of highlight\n", ours / theirs);
	return 0;
}

/* ---- --html: debugging aid ---------------------------------------------- */

static void S_html_token(void *ctx, int cls, const char *text, size_t len)
{
	struct akb_buf *out = ctx;
	const char *name = akb_hl_class_name(cls);
	if (name)
		akb_buf_printf(out, "<span class=\"hl %s\">", name);
	akb_buf_put_html(out, text, len);
	if (name)
		akb_buf_puts(out, "</span>");
}

static int S_html(const char *lang)
{
	struct akb_buf in = AKB_BUF_INIT, out = AKB_BUF_INIT, err = AKB_BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		akb_buf_put(&in, chunk, n);
	const char *def = akb_highlighter_resolve(S_hl, lang, strlen(lang));
	int rc = def ? akb_highlight(S_hl, def, in.ptr, in.len, S_html_token, &out, &err) : -1;
	if (rc < 0)
		fprintf(stderr, "highlight-agreement: %s\n", def ? err.ptr : "unknown language");
	else
		fwrite(out.ptr, 1, out.len, stdout);
	akb_buf_release(&in);
	akb_buf_release(&out);
	akb_buf_release(&err);
	return rc < 0;
}

int main(int argc, char **argv)
{
	int bench = 0, reference = 1, jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	const char *html = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-v"))
			S_verbose = 1;
		else if (!strcmp(argv[i], "--bench"))
			bench = 1;
		else if (!strcmp(argv[i], "--no-reference"))
			reference = 0;
		else if (!strcmp(argv[i], "-j") && i + 1 < argc)
			jobs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--html") && i + 1 < argc)
			html = argv[++i];
		else {
			fprintf(stderr, "usage: highlight-agreement [-v] [-j N] [--bench [--no-reference]] DIR... | --html LANG\n");
			return 2;
		}
	}
	if (jobs < 1)
		jobs = 1;
	struct akb_diag diag;
	akb_diag_init(&diag, stderr);
	S_hl = akb_highlighter_new(NULL, &diag);
	if (!S_hl)
		return 2;
	int rc;
	if (html) {
		rc = S_html(html);
	} else {
		for (; i < argc; i++)
			S_walk(argv[i]);
		rc = bench ? S_bench(reference, jobs) : S_agreement(jobs);
	}
	for (size_t k = 0; k < S_nblocks; k++) {
		free(S_blocks[k].path);
		free(S_blocks[k].code);
		free(S_blocks[k].report);
	}
	free(S_blocks);
	akb_highlighter_free(S_hl);
	akb_diag_release(&diag);
	return rc;
}
