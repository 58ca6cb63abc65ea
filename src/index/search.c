/*
 * search: builds the search index in C at build time (see search.h):
 * tokenizing, impacts per field, the dictionary and its shards.
 */
#include "core/prefix.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "agentkb/json.h"
#include "agentkb/search.h"
#include "search_words.h"
#include "agentkb/strmap.h"
#include "agentkb/threads.h"
#include "agentkb/utf8.h"
#include "agentkb/version.h"

/* Longer Latin tokens are cut: nobody types them, and they bloat the dictionary. */
#define TOKEN_MAX_CODEPOINTS 32
/*
 * A shard holds about this many bytes of terms and postings: one or two per
 * query. Where a shard ends depends on the terms themselves (a term whose
 * hash ends in SHARD_CUT_BITS zero bits starts a new shard once the shard
 * has SHARD_MIN_BYTES; SHARD_MAX_BYTES cuts anyway), not on a running
 * count from the first term: a new or dropped term moves only its own
 * shard's ends, so an edit rewrites a few shards, not every one after it.
 * Shards are named by their first term's hash, for the same reason.
 */
#define SHARD_MIN_BYTES 6000
#define SHARD_MAX_BYTES 24000
#define SHARD_CUT_MASK 3
/*
 * A term whose postings take this much (a term in some 4,000 documents or
 * more) gets a shard of its own, so that the shard directory names it and a
 * typo or prefix scan can tell, without loading its postings, whether it
 * matches.
 */
#define SOLO_BYTES 4096
#define DOCS_PER_CHUNK 16
/*
 * A solo shard (one term, which is then a common one) also carries the
 * display rows of the term's best documents: a one-word query on it can show
 * its first page of results without waiting for display chunks.
 */
#define TOP_ROWS 10

/* BM25F, computed here once per (term, document) rather than in every page. */
#define BM25_K1 1.2
#define BM25_B 0.75

static const char *const S_field_names[AKB_FIELD_COUNT] = { "name", "nameprefix", "summary", "meta",
							    "headings", "body", "code", "lang" };
/* Written as text too (base.js), so the exact spelling of the numbers is kept. */
static const char *const S_field_boosts[AKB_FIELD_COUNT] = { "8", "0", "4", "3", "2", "1", "0.5", "0.5" };
static const double S_boost[AKB_FIELD_COUNT] = { 8, 0, 4, 3, 2, 1, 0.5, 0.5 };

/*
 * Added to a term's BM25F part (below K1 + 1 = 2.2) when it is a word of the
 * name, starts one, or is in the summary: a reader who types an agent's role
 * wants that agent, not the one whose long body repeats the word most.
 */
#define BONUS_NAME 6.0
#define BONUS_NAME_PREFIX 4.5
#define BONUS_SUMMARY 1.5
#define BONUS_TEXT "[6,4.5,1.5]"
/* A name word's prefixes are indexed from this many letters, and from half its length. */
#define NAME_PREFIX_MIN 3

/* ---- tokenizer ---- */

void akb_tokenize(const char *text, size_t len, akb_token_fn fn, void *ctx)
{
	struct akb_buf tok = AKB_BUF_INIT;
	uint32_t cjk_prev = 0; /* previous CJK code point in the current CJK run */
	size_t cjk_run = 0, latin_cps = 0;
	size_t i = 0;
	for (;;) {
		uint32_t cp;
		int word, cjk;
		unsigned char b = i < len ? (unsigned char)text[i] : 0;
		if (b && b < 0x80) { /* most text: no decoding */
			cp = b >= 'A' && b <= 'Z' ? b + 32u : b;
			i++;
			word = (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z');
			cjk = 0;
			if (word && !cjk_run) {
				if (latin_cps < TOKEN_MAX_CODEPOINTS)
					akb_buf_putc(&tok, (int)cp);
				latin_cps++;
				continue;
			}
		} else {
			cp = i < len ? akb_utf8_lower(akb_utf8_next(text, len, &i)) : 0;
			word = i <= len && cp && akb_utf8_is_word(cp);
			cjk = word && akb_utf8_is_cjk(cp);
		}
		/* A Latin token ends at a non-word or a CJK character. */
		if (tok.len && (!word || cjk)) {
			fn(ctx, tok.ptr, tok.len);
			akb_buf_clear(&tok);
			latin_cps = 0;
		}
		/* A CJK run ends at anything that is not CJK; a run of one is its own token. */
		if (cjk_run && !cjk) {
			if (cjk_run == 1) {
				akb_buf_clear(&tok);
				akb_utf8_put(&tok, cjk_prev);
				fn(ctx, tok.ptr, tok.len);
				akb_buf_clear(&tok);
			}
			cjk_run = 0;
		}
		if (!cp && i >= len)
			break;
		if (cjk) {
			if (cjk_run) {
				akb_buf_clear(&tok);
				akb_utf8_put(&tok, cjk_prev);
				akb_utf8_put(&tok, cp);
				fn(ctx, tok.ptr, tok.len);
				akb_buf_clear(&tok);
			}
			cjk_prev = cp;
			cjk_run++;
		} else if (word) {
			if (latin_cps < TOKEN_MAX_CODEPOINTS)
				akb_utf8_put(&tok, cp);
			latin_cps++;
		}
	}
	akb_buf_release(&tok);
}

/* ---- builder ---- */

struct term {
	char *text;          /* owned */
	int indexed;         /* seen in a field other than nameprefix: published (else only a name prefix) */
	struct akb_buf post; /* encoded postings of flushed documents */
	size_t df;
	size_t last_doc;     /* previous flushed doc, for deltas */
	size_t cur_doc;      /* document being accumulated; SIZE_MAX when none */
	uint32_t mask;       /* the fields whose tf is not 0 */
	uint32_t tf[AKB_FIELD_COUNT];
};

struct facet {
	char *key, *title;
	struct akb_strmap values; /* value -> index in names */
	char **names;
	size_t nnames, cap;
	struct akb_buf *doc_values; /* per doc: list of value indexes, as varints (count prepended at write) */
	size_t *doc_counts;
};

struct display {
	char *name, *url, *department, *category, *model, *text, *qualifier;
	char *install[3]; /* install path, raw file name, archive folder: NULL for a sub-agent's defaults */
};

/* A display's texts in one list, to set and free alike (in akb_search_set_display's order). */
#define S_TEXTS(d) { &(d)->name, &(d)->url, &(d)->department, &(d)->category, &(d)->model, &(d)->text, &(d)->qualifier }
#define S_NTEXTS 7

/*
 * A document's terms before they join the index: each distinct token once,
 * in the order first seen, with its counts per field. Tokenizing needs no
 * builder, so documents are tokenized on several threads and added in
 * order (akb_search_add_doc), which gives the index one thread would.
 */
struct doc_term {
	const char *text; /* the map's copy */
	size_t len;
	uint64_t hash;    /* akb_hash_bytes of text: hashed once, on the thread that tokenizes */
	int indexed;
	uint32_t mask;    /* the fields whose tf is not 0: adding visits only those */
	uint32_t tf[AKB_FIELD_COUNT];
};

/* Token bytes, in blocks that never move (the map borrows its keys from them): one allocation per block, not per token. */
struct text_block {
	struct text_block *next;
	size_t used, cap;
	char bytes[];
};

struct akb_search_doc {
	struct akb_strmap ids; /* token -> index in terms (keys in `blocks`) */
	struct text_block *blocks;
	struct doc_term *terms;
	size_t nterms, cap;
	uint32_t lengths[AKB_FIELD_COUNT];
	struct akb_buf langs_seen; /* code languages added, "\nword\n..." */
};

struct akb_search_builder {
	size_t ndocs;
	struct akb_buf synonyms;  /* base.js `syn`, as JSON: [[...], ...] */
	struct akb_search_doc *pending; /* what akb_search_add_text gathered for cur_doc */
	struct akb_strmap term_ids;
	struct term *terms;
	size_t nterms, cap;
	uint32_t *lengths;   /* ndocs * AKB_FIELD_COUNT tokens */
	struct display *display;
	struct facet *facets;
	size_t nfacets;
	size_t *touched;     /* terms with a document being accumulated */
	size_t ntouched, touched_cap;
	size_t cur_doc;
	unsigned jobs;       /* threads for publishing and writing the terms */
	/* Documents given by their encoding and not decoded yet (akb_search_add_encoded), in id order. */
	struct held_doc *held;
	size_t nheld, held_cap, held_bytes;
	int held_bad;        /* one of them could not be read back or did not decode: akb_search_write fails */
	akb_doc_reader read_back; /* where documents held by reference are (akb_search_hold_at) */
	void *read_ctx;
	uint64_t inputs;     /* digest of everything given so far (akb_search_inputs_digest) */
	int inputs_known;    /* 0 once a document came without its encoding */
	uint64_t *doc_digest; /* per document, its encoding's digest (0: none yet) */
	const char *patch_from; /* the last build's snapshot, to patch instead of adding every document */
	FILE *snapshot_to;   /* where this build's snapshot goes, or NULL */
	int patched;         /* the held documents were added by patching the snapshot */
	struct akb_buf mix;  /* scratch for S_mix */
	struct akb_buf files; /* what akb_search_write wrote, one path a line */
};

struct held_doc {
	size_t doc;
	char *data;      /* a copy, or NULL: read back from `at` */
	size_t len;
	uint64_t at;
	uint64_t digest; /* what reading back must give */
};

/*
 * What the builder holds of copied documents before it decodes them; past
 * it they are added, so that a rebuild of a very big site holds no more.
 * Documents held by reference cost a few bytes each and have no cap.
 */
#define HELD_MAX_BYTES ((size_t)96 << 20)
/* How far ahead of the document being added the decoding threads may go. */
#define HELD_AHEAD 64

/* Folds one input (already in sb->mix) into the digest of the index's inputs. */
static void S_mix(struct akb_search_builder *sb)
{
	uint64_t h = sb->inputs;
	akb_buf_put(&sb->mix, &h, sizeof h);
	sb->inputs = akb_digest(sb->mix.ptr, sb->mix.len);
	akb_buf_clear(&sb->mix);
}

/* Puts a string, NULL told from "", into sb->mix. */
static void S_mix_str(struct akb_search_builder *sb, const char *s)
{
	akb_buf_putc(&sb->mix, s ? 's' : 'n');
	if (s)
		akb_buf_put_sized(&sb->mix, s, strlen(s));
}

struct akb_search_builder *akb_search_builder_new(size_t ndocs)
{
	struct akb_search_builder *sb = akb_xcalloc(1, sizeof(*sb));
	sb->ndocs = ndocs;
	akb_strmap_init_borrowed(&sb->term_ids); /* keys are the terms' texts */
	sb->lengths = akb_xcalloc(akb_xmul(ndocs + 1, AKB_FIELD_COUNT), sizeof(uint32_t));
	sb->doc_digest = akb_xcalloc(ndocs + 1, sizeof(uint64_t));
	sb->display = akb_xcalloc(ndocs + 1, sizeof(*sb->display));
	sb->cur_doc = SIZE_MAX;
	sb->jobs = 1;
	akb_buf_init(&sb->synonyms);
	akb_buf_puts(&sb->synonyms, "[]");
	sb->pending = akb_search_doc_new();
	sb->inputs_known = 1;
	akb_buf_printf(&sb->mix, "agentkb search index %zu docs", ndocs);
	S_mix(sb);
	return sb;
}

void akb_search_builder_free(struct akb_search_builder *sb)
{
	if (!sb)
		return;
	for (size_t i = 0; i < sb->nterms; i++) {
		free(sb->terms[i].text);
		akb_buf_release(&sb->terms[i].post);
	}
	free(sb->terms);
	akb_strmap_release(&sb->term_ids);
	free(sb->lengths);
	free(sb->doc_digest);
	for (size_t d = 0; d < sb->ndocs; d++) {
		struct display *dp = &sb->display[d];
		char **texts[S_NTEXTS] = S_TEXTS(dp);
		for (size_t i = 0; i < S_NTEXTS; i++)
			free(*texts[i]);
		for (int i = 0; i < 3; i++)
			free(dp->install[i]);
	}
	free(sb->display);
	for (size_t f = 0; f < sb->nfacets; f++) {
		struct facet *fc = &sb->facets[f];
		free(fc->key);
		free(fc->title);
		akb_strmap_release(&fc->values);
		for (size_t i = 0; i < fc->nnames; i++)
			free(fc->names[i]);
		free(fc->names);
		for (size_t d = 0; d < sb->ndocs; d++)
			akb_buf_release(&fc->doc_values[d]);
		free(fc->doc_values);
		free(fc->doc_counts);
	}
	free(sb->facets);
	free(sb->touched);
	akb_buf_release(&sb->synonyms);
	akb_search_doc_free(sb->pending);
	for (size_t i = 0; i < sb->nheld; i++)
		free(sb->held[i].data);
	free(sb->held);
	akb_buf_release(&sb->mix);
	akb_buf_release(&sb->files);
	free(sb);
}

/* Appends one posting as documents are added: gap from the last, field mask, the mask's counts. */
static void S_put_posting(struct akb_buf *post, size_t gap, uint32_t mask, const uint32_t *tf)
{
	unsigned char bytes[10 * (2 + AKB_FIELD_COUNT)], *p = bytes;
	p = akb_varint_at(p, gap);
	p = akb_varint_at(p, mask);
	for (uint32_t m = mask; m; m &= m - 1)
		p = akb_varint_at(p, tf[__builtin_ctz(m)]);
	akb_buf_put(post, bytes, (size_t)(p - bytes));
}

/* Encodes the accumulated document of `t` into its postings. */
static void S_flush_term(struct term *t)
{
	if (t->cur_doc == SIZE_MAX)
		return;
	S_put_posting(&t->post, t->df ? t->cur_doc - t->last_doc : t->cur_doc, t->mask, t->tf);
	for (uint32_t m = t->mask; m; m &= m - 1)
		t->tf[__builtin_ctz(m)] = 0;
	t->df++;
	t->last_doc = t->cur_doc;
	t->cur_doc = SIZE_MAX;
	t->mask = 0;
}

/* ---- documents ---- */

/* A copy of token[0..len) (NUL-terminated) that stays where it is until the blocks are freed. */
static const char *S_keep_token(struct text_block **blocks, const char *token, size_t len)
{
	struct text_block *b = *blocks;
	if (!b || b->cap - b->used < len + 1) {
		size_t cap = len + 1 > 8192 ? len + 1 : 8192;
		b = akb_xmalloc(sizeof(*b) + cap);
		b->next = *blocks;
		b->used = 0;
		b->cap = cap;
		*blocks = b;
	}
	char *copy = b->bytes + b->used;
	memcpy(copy, token, len);
	copy[len] = '\0';
	b->used += len + 1;
	return copy;
}

static void S_free_blocks(struct text_block **blocks)
{
	while (*blocks) {
		struct text_block *next = (*blocks)->next;
		free(*blocks);
		*blocks = next;
	}
}

struct akb_search_doc *akb_search_doc_new(void)
{
	struct akb_search_doc *d = akb_xcalloc(1, sizeof(*d));
	akb_strmap_init_borrowed(&d->ids);
	akb_buf_init(&d->langs_seen);
	akb_buf_putc(&d->langs_seen, '\n');
	return d;
}

void akb_search_doc_free(struct akb_search_doc *d)
{
	if (!d)
		return;
	akb_strmap_release(&d->ids);
	S_free_blocks(&d->blocks);
	free(d->terms);
	akb_buf_release(&d->langs_seen);
	free(d);
}

struct add_ctx {
	struct akb_search_doc *d;
	enum akb_search_field field;
};

static void S_add_token(void *ctx, const char *token, size_t len);

/* A Latin name word's prefixes, into the nameprefix field (see search.h). */
static void S_add_name_prefixes(const struct add_ctx *a, const char *token, size_t len)
{
	size_t letters = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)token[i];
		if (c < 'a' || c > 'z')
			return; /* CJK bigrams, digits, accents: whole tokens only */
		letters++;
	}
	size_t from = (letters + 1) / 2;
	if (from < NAME_PREFIX_MIN)
		from = NAME_PREFIX_MIN;
	struct add_ctx pa = *a;
	pa.field = AKB_FIELD_NAME_PREFIX;
	for (size_t n = from; n < letters; n++)
		S_add_token(&pa, token, n);
}

static void S_add_token(void *ctx, const char *token, size_t len)
{
	struct add_ctx *a = ctx;
	struct akb_search_doc *d = a->d;
	uint64_t hash = akb_hash_bytes(token, len);
	int added;
	struct akb_strmap_slot *slot = akb_strmap_put_hashed(&d->ids, token, len, hash, &added);
	if (added) {
		d->terms = akb_xgrow(d->terms, d->nterms, &d->cap, 256, sizeof(*d->terms));
		struct doc_term *t = &d->terms[d->nterms];
		memset(t, 0, sizeof(*t));
		t->text = S_keep_token(&d->blocks, token, len);
		t->len = len;
		t->hash = hash;
		slot->key = t->text; /* the map borrows: from the token, which is about to change, to the copy */
		slot->value = d->nterms++;
	}
	struct doc_term *t = &d->terms[slot->value];
	if (a->field != AKB_FIELD_NAME_PREFIX)
		t->indexed = 1;
	if (t->tf[a->field] < UINT32_MAX)
		t->tf[a->field]++;
	t->mask |= 1u << a->field;
	d->lengths[a->field]++;
	if (a->field == AKB_FIELD_NAME)
		S_add_name_prefixes(a, token, len);
}

void akb_search_doc_text(struct akb_search_doc *d, enum akb_search_field field, const char *text, size_t len)
{
	if (field >= AKB_FIELD_COUNT)
		return;
	struct add_ctx a = { d, field };
	/* About one new term in 16 bytes of text (prose and code): the map grows once, not at every doubling. */
	akb_strmap_reserve(&d->ids, d->ids.len + len / 16);
	akb_tokenize(text, len, S_add_token, &a);
}

/* One language word, once per document (d->langs_seen). */
static void S_add_lang_word(void *ctx, const char *word)
{
	struct akb_search_doc *d = ctx;
	struct akb_buf key = AKB_BUF_INIT;
	akb_buf_printf(&key, "\n%s\n", word);
	for (char *p = key.ptr; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (!strstr(d->langs_seen.ptr, key.ptr)) {
		akb_buf_put(&d->langs_seen, key.ptr + 1, key.len - 1);
		akb_search_doc_text(d, AKB_FIELD_LANG, word, strlen(word));
	}
	akb_buf_release(&key);
}

void akb_search_doc_code_lang(struct akb_search_doc *d, const char *lang, size_t len)
{
	if (!len)
		return;
	struct akb_buf word = AKB_BUF_INIT;
	akb_buf_put(&word, lang, len);
	S_add_lang_word(d, word.ptr);
	akb_code_lang_names(lang, len, S_add_lang_word, d);
	akb_buf_release(&word);
}

/* The builder's term for a document's term, made when new (terms are numbered in the order first seen). */
static struct term *S_term(struct akb_search_builder *sb, const struct doc_term *dt)
{
	int added;
	struct akb_strmap_slot *slot = akb_strmap_put_hashed(&sb->term_ids, dt->text, dt->len, dt->hash, &added);
	if (added) {
		sb->terms = akb_xgrow(sb->terms, sb->nterms, &sb->cap, 1024, sizeof(*sb->terms));
		struct term *t = &sb->terms[sb->nterms];
		memset(t, 0, sizeof(*t));
		t->text = akb_xstrndup(dt->text, dt->len);
		akb_buf_init(&t->post);
		t->cur_doc = SIZE_MAX;
		slot->key = t->text;
		slot->value = sb->nterms++;
	}
	return &sb->terms[slot->value];
}

/*
 * How many terms ahead S_apply and S_begin_doc ask for the memory they will
 * touch: the index's map and terms outgrow the caches at a few thousand
 * agents, and one document's terms are known in advance.
 */
#define PREFETCH_AHEAD 8

/* Adds a document's terms to cur_doc and empties `d`. */
static void S_apply(struct akb_search_builder *sb, struct akb_search_doc *d)
{
	size_t doc = sb->cur_doc;
	/* Room for every term of `d` at once: each touches at most one more. */
	if (sb->touched_cap - sb->ntouched < d->nterms) {
		sb->touched_cap = sb->ntouched + d->nterms > 2 * sb->touched_cap ? sb->ntouched + d->nterms
										 : 2 * sb->touched_cap;
		sb->touched = akb_xrealloc(sb->touched, akb_xmul(sb->touched_cap, sizeof(size_t)));
	}
	for (size_t i = 0; i < d->nterms; i++) {
		if (i + PREFETCH_AHEAD < d->nterms)
			akb_strmap_prefetch(&sb->term_ids, d->terms[i + PREFETCH_AHEAD].hash);
		const struct doc_term *dt = &d->terms[i];
		struct term *t = S_term(sb, dt);
		t->indexed |= dt->indexed;
		if (t->cur_doc != doc) {
			t->cur_doc = doc;
			sb->touched[sb->ntouched++] = (size_t)(t - sb->terms);
		}
		for (uint32_t m = dt->mask; m; m &= m - 1) {
			int f = __builtin_ctz(m);
			t->tf[f] = dt->tf[f] > UINT32_MAX - t->tf[f] ? UINT32_MAX : t->tf[f] + dt->tf[f];
		}
		t->mask |= dt->mask;
	}
	for (int f = 0; f < AKB_FIELD_COUNT; f++)
		sb->lengths[doc * AKB_FIELD_COUNT + (size_t)f] += d->lengths[f];
	if (d->nterms || d->langs_seen.len > 1) {
		akb_strmap_release(&d->ids);
		akb_strmap_init_borrowed(&d->ids);
		S_free_blocks(&d->blocks);
		d->nterms = 0;
		memset(d->lengths, 0, sizeof d->lengths);
		akb_buf_clear(&d->langs_seen);
		akb_buf_putc(&d->langs_seen, '\n');
	}
}

/* Documents arrive in id order: when a new one starts, the previous one's terms are final. */
static void S_begin_doc(struct akb_search_builder *sb, size_t doc)
{
	if (sb->cur_doc == doc)
		return;
	if (sb->cur_doc < sb->ndocs)
		S_apply(sb, sb->pending);
	for (size_t i = 0; i < sb->ntouched; i++) {
		if (i + PREFETCH_AHEAD < sb->ntouched)
			__builtin_prefetch(&sb->terms[sb->touched[i + PREFETCH_AHEAD]]);
		S_flush_term(&sb->terms[sb->touched[i]]);
	}
	sb->ntouched = 0;
	sb->cur_doc = doc;
}

/*
 * A document's encoding, for the page cache: its field lengths, then each
 * term in the order it was first seen (text, whether a field other than
 * nameprefix has it, and its count in each field that has it).
 */
void akb_search_doc_encode(const struct akb_search_doc *d, struct akb_buf *out)
{
	for (int f = 0; f < AKB_FIELD_COUNT; f++)
		akb_buf_put_varint(out, d->lengths[f]);
	akb_buf_put_varint(out, d->nterms);
	for (size_t i = 0; i < d->nterms; i++) {
		const struct doc_term *t = &d->terms[i];
		akb_buf_put_sized(out, t->text, t->len);
		uint64_t mask = t->indexed ? 1u << AKB_FIELD_COUNT : 0;
		for (int f = 0; f < AKB_FIELD_COUNT; f++)
			if (t->tf[f])
				mask |= 1u << f;
		akb_buf_put_varint(out, mask);
		for (int f = 0; f < AKB_FIELD_COUNT; f++)
			if (t->tf[f])
				akb_buf_put_varint(out, t->tf[f]);
	}
}

/*
 * Reads an encoding into `d`, or with `d` NULL only checks it (what it
 * accepts is what decoding accepts). Without a token map: a decoded
 * document is only ever added to an index.
 */
static int S_read_doc(const char *data, size_t len, struct akb_search_doc *d)
{
	const char *p = data, *end = data + len;
	uint64_t v, n;
	for (int f = 0; f < AKB_FIELD_COUNT; f++) {
		if (akb_read_varint(&p, end, &v) != 0 || v > UINT32_MAX)
			return -1;
		if (d)
			d->lengths[f] = (uint32_t)v;
	}
	if (akb_read_varint(&p, end, &n) != 0 || n > len / 2) /* a term takes two bytes at least */
		return -1;
	if (d) {
		d->cap = (size_t)n + 1;
		d->terms = akb_xrealloc(d->terms, akb_xmul(d->cap, sizeof(*d->terms)));
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t tlen, mask;
		if (akb_read_varint(&p, end, &tlen) != 0 || tlen > (uint64_t)(end - p) || memchr(p, '\0', (size_t)tlen))
			return -1;
		const char *text = p;
		p += tlen;
		if (akb_read_varint(&p, end, &mask) != 0 || mask >> (AKB_FIELD_COUNT + 1))
			return -1;
		struct doc_term *t = NULL;
		if (d) {
			t = &d->terms[d->nterms++];
			memset(t, 0, sizeof(*t));
			t->text = S_keep_token(&d->blocks, text, (size_t)tlen);
			t->len = (size_t)tlen;
			t->hash = akb_hash_bytes(text, (size_t)tlen);
			t->indexed = (mask >> AKB_FIELD_COUNT) & 1;
			t->mask = (uint32_t)(mask & ((1u << AKB_FIELD_COUNT) - 1));
		}
		for (uint64_t m = mask & ((1u << AKB_FIELD_COUNT) - 1); m; m &= m - 1) {
			if (akb_read_varint(&p, end, &v) != 0 || !v || v > UINT32_MAX)
				return -1;
			if (t)
				t->tf[__builtin_ctzll(m)] = (uint32_t)v;
		}
	}
	return p == end ? 0 : -1;
}

struct akb_search_doc *akb_search_doc_decode(const char *data, size_t len)
{
	struct akb_search_doc *d = akb_search_doc_new();
	if (S_read_doc(data, len, d) == 0)
		return d;
	akb_search_doc_free(d);
	return NULL;
}

int akb_search_doc_valid(const char *data, size_t len)
{
	return S_read_doc(data, len, NULL) == 0;
}

static void S_add_decoded(struct akb_search_builder *sb, size_t doc, struct akb_search_doc *d)
{
	S_begin_doc(sb, doc);
	S_apply(sb, sb->pending); /* what add_text gave this document so far comes first */
	S_apply(sb, d);
}

/* A held document decoded: from its copy, or read back and checked against the digest it came with. */
static struct akb_search_doc *S_decode_held(const struct akb_search_builder *sb, const struct held_doc *h)
{
	if (h->data)
		return akb_search_doc_decode(h->data, h->len);
	char *bytes = akb_xmalloc(h->len + 1);
	struct akb_search_doc *d = NULL;
	if (sb->read_back(sb->read_ctx, h->at, bytes, h->len) == 0 && akb_digest(bytes, h->len) == h->digest)
		d = akb_search_doc_decode(bytes, h->len);
	free(bytes);
	return d;
}

/*
 * Held documents on their way into the index: the jobs' other threads
 * decode them, in id order, while this one adds them, so that decoding
 * costs no time of its own; decoders stay at most HELD_AHEAD documents
 * ahead, so that few decoded documents wait at once.
 */
struct held_pipe {
	const struct akb_search_builder *sb;
	const struct held_doc *held;
	size_t n;
	struct akb_search_doc **docs;
	unsigned char *ready;
	size_t next, added;  /* the next to decode; how many were added */
	pthread_mutex_t lock;
	pthread_cond_t decoded, room;
};

static void *S_decoder(void *arg)
{
	struct held_pipe *p = arg;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->next < p->n && p->next >= p->added + HELD_AHEAD)
			pthread_cond_wait(&p->room, &p->lock);
		if (p->next >= p->n)
			break;
		size_t k = p->next++;
		pthread_mutex_unlock(&p->lock);
		struct akb_search_doc *d = S_decode_held(p->sb, &p->held[k]);
		pthread_mutex_lock(&p->lock);
		p->docs[k] = d;
		p->ready[k] = 1;
		pthread_cond_broadcast(&p->decoded);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Adds the held documents in id order (decoded on the other threads when there are jobs for them). */
static void S_add_held(struct akb_search_builder *sb)
{
	if (!sb->nheld)
		return;
	struct held_pipe p = { sb, sb->held, sb->nheld, akb_xcalloc(sb->nheld, sizeof(struct akb_search_doc *)),
			       akb_xcalloc(sb->nheld, 1), 0, 0, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
			       PTHREAD_COND_INITIALIZER };
	unsigned want = sb->jobs > 1 ? sb->jobs - 1 : 0, started = 0;
	pthread_t *tids = akb_xcalloc(want + 1, sizeof(pthread_t));
	while (started < want && pthread_create(&tids[started], NULL, S_decoder, &p) == 0)
		started++;
	for (size_t k = 0; k < p.n; k++) {
		struct akb_search_doc *d;
		if (started) {
			pthread_mutex_lock(&p.lock);
			while (!p.ready[k])
				pthread_cond_wait(&p.decoded, &p.lock);
			d = p.docs[k];
			p.added = k + 1;
			pthread_cond_broadcast(&p.room);
			pthread_mutex_unlock(&p.lock);
		} else {
			d = S_decode_held(sb, &p.held[k]);
		}
		if (d)
			S_add_decoded(sb, p.held[k].doc, d);
		else
			sb->held_bad = 1;
		akb_search_doc_free(d);
		free(sb->held[k].data);
	}
	for (unsigned i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	free(tids);
	free(p.docs);
	free(p.ready);
	pthread_mutex_destroy(&p.lock);
	pthread_cond_destroy(&p.decoded);
	pthread_cond_destroy(&p.room);
	sb->nheld = 0;
	sb->held_bytes = 0;
}

void akb_search_add_doc(struct akb_search_builder *sb, size_t doc, struct akb_search_doc *d)
{
	if (doc >= sb->ndocs)
		return;
	sb->inputs_known = 0; /* no encoding to fold in */
	S_add_held(sb);
	S_add_decoded(sb, doc, d);
}

/* Folds document `doc`'s encoding into the inputs digest; returns the encoding's digest. */
static uint64_t S_mix_doc(struct akb_search_builder *sb, size_t doc, const char *data, size_t len)
{
	const uint64_t at[] = { 'd', doc, akb_digest(data, len) };
	akb_buf_put(&sb->mix, at, sizeof at);
	S_mix(sb);
	sb->doc_digest[doc] = at[2] ? at[2] : 1; /* 0 is "none" */
	return at[2];
}

static void S_hold(struct akb_search_builder *sb, size_t doc, char *copy, size_t len, uint64_t at, uint64_t digest)
{
	sb->held = akb_xgrow(sb->held, sb->nheld, &sb->held_cap, 256, sizeof(*sb->held));
	sb->held[sb->nheld++] = (struct held_doc){ doc, copy, len, at, digest };
	if (copy)
		sb->held_bytes += len;
	if (sb->held_bytes > HELD_MAX_BYTES)
		S_add_held(sb);
}

void akb_search_add_encoded(struct akb_search_builder *sb, size_t doc, const char *data, size_t len,
			    struct akb_search_doc *d)
{
	if (doc >= sb->ndocs)
		return;
	uint64_t digest = S_mix_doc(sb, doc, data, len);
	if (d) {
		S_add_held(sb);
		S_add_decoded(sb, doc, d);
		return;
	}
	char *copy = akb_xmalloc(len + 1);
	memcpy(copy, data, len);
	S_hold(sb, doc, copy, len, 0, digest);
}

void akb_search_set_doc_reader(struct akb_search_builder *sb, akb_doc_reader read_back, void *ctx)
{
	sb->read_back = read_back;
	sb->read_ctx = ctx;
}

void akb_search_hold_at(struct akb_search_builder *sb, size_t doc, const char *data, size_t len, uint64_t at)
{
	if (!sb->read_back || at == UINT64_MAX) {
		akb_search_add_encoded(sb, doc, data, len, NULL);
		return;
	}
	if (doc >= sb->ndocs)
		return;
	S_hold(sb, doc, NULL, len, at, S_mix_doc(sb, doc, data, len));
}

uint64_t akb_search_inputs_digest(const struct akb_search_builder *sb)
{
	return sb->inputs_known && sb->inputs ? sb->inputs : 0;
}

const char *akb_search_files(const struct akb_search_builder *sb)
{
	return sb->files.ptr;
}

void akb_search_add_text(struct akb_search_builder *sb, size_t doc, enum akb_search_field field, const char *text,
			 size_t len)
{
	if (doc >= sb->ndocs || field >= AKB_FIELD_COUNT)
		return;
	sb->inputs_known = 0;
	S_add_held(sb);
	S_begin_doc(sb, doc);
	akb_search_doc_text(sb->pending, field, text, len);
}

void akb_search_add_code_lang(struct akb_search_builder *sb, size_t doc, const char *lang, size_t len)
{
	if (doc >= sb->ndocs || !len)
		return;
	sb->inputs_known = 0;
	S_add_held(sb);
	S_begin_doc(sb, doc);
	akb_search_doc_code_lang(sb->pending, lang, len);
}

/* Appends one synonym group, its words joined by `sep`, as a JSON array. */
static void S_synonym_group(struct akb_buf *js, const char *joined, char sep)
{
	const char seps[] = { sep, '\0' };
	akb_buf_puts(js, js->len > 1 ? ",\n[" : "\n[");
	for (const char *p = joined; *p;) {
		size_t n = strcspn(p, seps);
		if (p != joined)
			akb_buf_putc(js, ',');
		akb_json_string(js, p, n);
		p += n + (p[n] == sep);
	}
	akb_buf_putc(js, ']');
}

void akb_search_set_synonyms(struct akb_search_builder *sb, int builtin, char *const *groups)
{
	akb_buf_clear(&sb->synonyms);
	akb_buf_putc(&sb->synonyms, '[');
	for (size_t g = 0; builtin && akb_builtin_synonyms[g]; g++)
		S_synonym_group(&sb->synonyms, akb_builtin_synonyms[g], '|');
	for (size_t g = 0; groups && groups[g]; g++)
		S_synonym_group(&sb->synonyms, groups[g], '\n'); /* agentkb.yaml's, as config.c joins them */
	akb_buf_putc(&sb->synonyms, ']');
	akb_buf_puts(&sb->mix, "synonyms ");
	akb_buf_put(&sb->mix, sb->synonyms.ptr, sb->synonyms.len);
	S_mix(sb);
}

static char *S_dup_or_empty(const char *s)
{
	return akb_xstrdup(s ? s : "");
}

void akb_search_set_display(struct akb_search_builder *sb, size_t doc, const char *name, const char *url,
			    const char *department, const char *category, const char *model, const char *text,
			    const char *qualifier)
{
	if (doc >= sb->ndocs)
		return;
	struct display *d = &sb->display[doc];
	char **texts[S_NTEXTS] = S_TEXTS(d);
	const char *values[S_NTEXTS] = { name, url, department, category, model, text, qualifier };
	const uint64_t at[] = { 'D', doc };
	akb_buf_put(&sb->mix, at, sizeof at);
	for (size_t i = 0; i < S_NTEXTS; i++)
		S_mix_str(sb, values[i]);
	S_mix(sb);
	for (size_t i = 0; i < S_NTEXTS; i++) {
		free(*texts[i]);
		*texts[i] = S_dup_or_empty(values[i]);
	}
}

size_t akb_search_add_facet(struct akb_search_builder *sb, const char *key, const char *title)
{
	akb_buf_puts(&sb->mix, "facet");
	S_mix_str(sb, key);
	S_mix_str(sb, title);
	S_mix(sb);
	sb->facets = akb_xrealloc(sb->facets, akb_xmul(sb->nfacets + 1, sizeof(*sb->facets)));
	struct facet *f = &sb->facets[sb->nfacets];
	memset(f, 0, sizeof(*f));
	f->key = akb_xstrdup(key);
	f->title = akb_xstrdup(title);
	akb_strmap_init(&f->values);
	f->doc_values = akb_xcalloc(sb->ndocs + 1, sizeof(struct akb_buf));
	f->doc_counts = akb_xcalloc(sb->ndocs + 1, sizeof(size_t));
	for (size_t d = 0; d < sb->ndocs; d++)
		akb_buf_init(&f->doc_values[d]);
	return sb->nfacets++;
}

void akb_search_add_facet_value(struct akb_search_builder *sb, size_t facet, size_t doc, const char *value)
{
	const uint64_t at[] = { 'v', facet, doc };
	akb_buf_put(&sb->mix, at, sizeof at);
	S_mix_str(sb, value);
	S_mix(sb);
	if (facet >= sb->nfacets || doc >= sb->ndocs || !*value)
		return;
	struct facet *f = &sb->facets[facet];
	size_t idx;
	if (!akb_strmap_get(&f->values, value, &idx)) {
		if (f->nnames == f->cap) {
			f->cap = f->cap ? f->cap * 2 : 16;
			f->names = akb_xrealloc(f->names, akb_xmul(f->cap, sizeof(char *)));
		}
		idx = f->nnames;
		f->names[f->nnames++] = akb_xstrdup(value);
		akb_strmap_set(&f->values, value, idx);
	}
	akb_buf_put_varint(&f->doc_values[doc], idx);
	f->doc_counts[doc]++;
}

/* ---- writing ---- */

static const char S_b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void S_base64(struct akb_buf *out, const unsigned char *p, size_t n)
{
	const char *tab = S_b64_alphabet;
	akb_buf_grow(out, (n + 2) / 3 * 4);
	size_t i = 0;
	for (; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		char c[4] = { tab[v >> 18], tab[(v >> 12) & 63], tab[(v >> 6) & 63], tab[v & 63] };
		akb_buf_put(out, c, 4);
	}
	if (i + 1 == n) {
		uint32_t v = (uint32_t)p[i] << 16;
		char c[4] = { tab[v >> 18], tab[(v >> 12) & 63], '=', '=' };
		akb_buf_put(out, c, 4);
	} else if (i + 2 == n) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		char c[4] = { tab[v >> 18], tab[(v >> 12) & 63], tab[(v >> 6) & 63], '=' };
		akb_buf_put(out, c, 4);
	}
}

static void S_base64_string(struct akb_buf *out, const struct akb_buf *data)
{
	akb_buf_putc(out, '"');
	S_base64(out, (const unsigned char *)data->ptr, data->len);
	akb_buf_putc(out, '"');
}

static uint64_t S_get_varint(const struct akb_buf *b, size_t *i)
{
	uint64_t v = 0;
	int shift = 0;
	while (*i < b->len) {
		unsigned char byte = (unsigned char)b->ptr[(*i)++];
		if (shift < 64)
			v |= (uint64_t)(byte & 0x7F) << shift;
		shift += 7;
		if (!(byte & 0x80))
			break;
	}
	return v;
}

/*
 * Reads the posting at *i of raw postings (S_put_posting's form) and moves
 * *i past it: *doc moves on by its gap, *after_gap (when not NULL) is where
 * its mask starts, and its counts go into tf (when not NULL). Returns its
 * field mask.
 */
static uint32_t S_next_posting(const struct akb_buf *post, size_t *i, size_t *doc, size_t *after_gap, uint32_t *tf)
{
	*doc += (size_t)S_get_varint(post, i);
	if (after_gap)
		*after_gap = *i;
	uint32_t mask = (uint32_t)S_get_varint(post, i);
	for (uint32_t m = mask; m; m &= m - 1) {
		uint32_t v = (uint32_t)S_get_varint(post, i);
		if (tf && __builtin_ctz(m) < AKB_FIELD_COUNT)
			tf[__builtin_ctz(m)] = v;
	}
	return mask;
}

/*
 * The impact byte of a term in a document: the term-frequency part of
 * BM25F, s = tfw (K1 + 1) / (K1 + tfw) with tfw the boosted, length-
 * normalised frequencies summed over fields, plus the name and summary
 * bonuses, on a log scale (16 steps per doubling, about 2% apart):
 * q = round(16 log2 s) + 192. s is below K1 + 1 + 6 + 1.5, so q stays under
 * 245; tiny weights clamp at 0.
 */
static int S_impact(const uint32_t *tf, const uint32_t *len, const double *avg)
{
	double tfw = 0;
	for (int f = 0; f < AKB_FIELD_COUNT; f++)
		if (tf[f] && avg[f] > 0)
			tfw += tf[f] * S_boost[f] / (1 - BM25_B + BM25_B * len[f] / avg[f]);
	double s = tfw * (BM25_K1 + 1) / (BM25_K1 + tfw);
	if (tf[AKB_FIELD_NAME])
		s += BONUS_NAME;
	else if (tf[AKB_FIELD_NAME_PREFIX])
		s += BONUS_NAME_PREFIX;
	if (tf[AKB_FIELD_SUMMARY])
		s += BONUS_SUMMARY;
	double q = s > 0 ? round(16 * log2(s)) + 192 : 0;
	return q < 0 ? 0 : q > 255 ? 255 : (int)q;
}

/*
 * Rewrites a term's postings from the form kept while documents arrive
 * (per entry: doc delta, field mask, one tf per field) into the published
 * one, now that the average field lengths are known: df, then the
 * documents grouped by impact, best first (impact byte, count, doc deltas
 * from 0 in each group). A one-term query's ranking is then the postings'
 * order, and an entry costs one byte where the ids are dense.
 */
static void S_publish_postings(struct term *t, const uint32_t *lengths, const double *avg)
{
	/* Most terms are in a few documents: those need no allocation and no 256-slot counts. */
	enum { SMALL = 32 };
	size_t docs_small[SMALL], order_small[SMALL];
	unsigned char imp_small[SMALL];
	int small = t->df <= SMALL;
	size_t *docs = small ? docs_small : akb_xcalloc(t->df + 1, sizeof(size_t));
	size_t *order = small ? order_small : akb_xcalloc(t->df + 1, sizeof(size_t));
	unsigned char *imp = small ? imp_small : akb_xcalloc(t->df + 1, 1);
	size_t n = 0, i = 0, doc = 0;
	for (; n < t->df && i < t->post.len; n++) {
		uint32_t tf[AKB_FIELD_COUNT] = { 0 };
		S_next_posting(&t->post, &i, &doc, NULL, tf);
		docs[n] = doc;
		imp[n] = (unsigned char)S_impact(tf, &lengths[doc * AKB_FIELD_COUNT], avg);
	}
	/* By impact, highest first, stable: documents stay in id order within a group. */
	if (small) {
		for (size_t e = 0; e < n; e++) {
			size_t k = e;
			for (; k > 0 && imp[order[k - 1]] < imp[e]; k--)
				order[k] = order[k - 1];
			order[k] = e;
		}
	} else {
		size_t count[256] = { 0 }, start[256], at = 0;
		for (size_t e = 0; e < n; e++)
			count[imp[e]]++;
		for (int q = 255; q >= 0; q--) {
			start[q] = at;
			at += count[q];
		}
		for (size_t e = 0; e < n; e++)
			order[start[imp[e]]++] = e;
	}
	struct akb_buf out = AKB_BUF_INIT;
	akb_buf_grow(&out, 2 * n + 8);
	akb_buf_put_varint(&out, n);
	size_t prev = 0;
	for (size_t k = 0; k < n; k++) {
		size_t e = order[k];
		if (k == 0 || imp[e] != imp[order[k - 1]]) {
			size_t run = 1;
			while (k + run < n && imp[order[k + run]] == imp[e])
				run++;
			akb_buf_putc(&out, imp[e]);
			akb_buf_put_varint(&out, run);
			prev = 0;
		}
		akb_buf_put_varint(&out, docs[e] - prev);
		prev = docs[e];
	}
	if (!small) {
		free(order);
		free(docs);
		free(imp);
	}
	akb_buf_release(&t->post);
	t->post = out;
}

static const struct term *S_sort_terms;

static int S_by_term(const void *x, const void *y)
{
	return akb_utf8_cmp_utf16(S_sort_terms[*(const size_t *)x].text, S_sort_terms[*(const size_t *)y].text);
}

static int S_write_file(struct akb_output *out, const char *rel, const struct akb_buf *data,
			struct akb_search_stats *stats, struct akb_diag *diag)
{
	stats->bytes += data->len;
	return akb_output_write(out, rel, data->ptr, data->len, diag);
}

void akb_search_set_install(struct akb_search_builder *sb, size_t doc, const char *path, const char *raw_name,
			    const char *archive_dir)
{
	if (doc >= sb->ndocs)
		return;
	struct display *d = &sb->display[doc];
	const char *v[3] = { path, raw_name, archive_dir };
	const uint64_t at[] = { 'i', doc };
	akb_buf_put(&sb->mix, at, sizeof at);
	for (int i = 0; i < 3; i++)
		S_mix_str(sb, v[i]);
	S_mix(sb);
	for (int i = 0; i < 3; i++) {
		free(d->install[i]);
		d->install[i] = S_dup_or_empty(v[i]);
	}
}

/*
 * A document's display row, as in a chunk: [name, url, department,
 * category, model, text, qualifier], then for any format but a sub-agent
 * [install path ("" when none), raw file name, archive folder].
 */
static void S_display_row(struct akb_buf *js, const struct display *dp)
{
	const char *cols[] = { dp->name, dp->url, dp->department, dp->category, dp->model, dp->text, dp->qualifier,
			       dp->install[0], dp->install[1], dp->install[2] };
	for (int i = 0; i < (dp->install[0] ? 10 : 7); i++) {
		if (i)
			akb_buf_putc(js, ',');
		akb_json_cstr(js, cols[i] ? cols[i] : "");
	}
}

/*
 * ,"rows":[[doc, name, url, ...], ...]: the first TOP_ROWS documents of the
 * term's postings, which are in a one-word query's order.
 */
static void S_write_top_rows(struct akb_buf *js, const struct term *t, const struct display *display)
{
	size_t i = 0, rows = 0;
	size_t df = (size_t)S_get_varint(&t->post, &i);
	akb_buf_puts(js, ",\"rows\":[");
	while (rows < TOP_ROWS && rows < df && i < t->post.len) {
		i++; /* the group's impact */
		size_t n = (size_t)S_get_varint(&t->post, &i), doc = 0;
		for (size_t e = 0; e < n && i < t->post.len; e++) {
			doc += (size_t)S_get_varint(&t->post, &i);
			if (rows == TOP_ROWS)
				continue;
			akb_buf_printf(js, "%s\n[%zu,", rows++ ? "," : "", doc);
			S_display_row(js, &display[doc]);
			akb_buf_putc(js, ']');
		}
	}
	akb_buf_putc(js, ']');
}

void akb_search_set_jobs(struct akb_search_builder *sb, unsigned jobs)
{
	sb->jobs = jobs ? jobs : 1;
}

static int S_write_shard(struct akb_search_builder *sb, struct akb_output *out, const char *id, const size_t *order,
			 size_t from, size_t to, struct akb_search_stats *stats, struct akb_diag *diag)
{
	const struct term *terms = sb->terms;
	struct akb_buf js = AKB_BUF_INIT, names = AKB_BUF_INIT, post = AKB_BUF_INIT, sizes = AKB_BUF_INIT;
	for (size_t i = from; i < to; i++) {
		const struct term *t = &terms[order[i]];
		if (i > from)
			akb_buf_putc(&names, '\n');
		akb_buf_puts(&names, t->text);
		akb_buf_put(&post, t->post.ptr, t->post.len);
		akb_buf_put_varint(&sizes, t->post.len);
	}
	akb_buf_printf(&js, "__akbSearchLoad(\"t\",\"%s\",{\"terms\":", id);
	akb_json_string(&js, names.ptr, names.len);
	akb_buf_puts(&js, ",\"post\":");
	S_base64_string(&js, &post);
	akb_buf_puts(&js, ",\"size\":");
	S_base64_string(&js, &sizes);
	if (to - from == 1)
		S_write_top_rows(&js, &terms[order[from]], sb->display);
	akb_buf_puts(&js, "});\n");
	char rel[96];
	snprintf(rel, sizeof rel, "search/t%s.js", id);
	int rc = S_write_file(out, rel, &js, stats, diag);
	akb_buf_release(&js);
	akb_buf_release(&names);
	akb_buf_release(&post);
	akb_buf_release(&sizes);
	return rc;
}

static int S_write_chunks(struct akb_search_builder *sb, struct akb_output *out, struct akb_search_stats *stats,
			  struct akb_diag *diag)
{
	int rc = 0;
	struct akb_buf js = AKB_BUF_INIT;
	for (size_t c = 0; c * DOCS_PER_CHUNK < sb->ndocs && rc == 0; c++) {
		akb_buf_clear(&js);
		akb_buf_printf(&js, "__akbSearchLoad(\"d\",%zu,[", c);
		for (size_t d = c * DOCS_PER_CHUNK; d < sb->ndocs && d < (c + 1) * DOCS_PER_CHUNK; d++) {
			akb_buf_puts(&js, d > c * DOCS_PER_CHUNK ? ",\n[" : "\n[");
			S_display_row(&js, &sb->display[d]);
			akb_buf_putc(&js, ']');
		}
		akb_buf_puts(&js, "]);\n");
		char rel[64];
		snprintf(rel, sizeof rel, "search/d%zu.js", c);
		rc = S_write_file(out, rel, &js, stats, diag);
	}
	akb_buf_release(&js);
	return rc;
}

static int S_cmp_cstr(const void *a, const void *b)
{
	return akb_utf8_cmp_utf16(*(char *const *)a, *(char *const *)b);
}

/* Fewest base-64 digits that hold every number up to `max`. */
static int S_digit_width(size_t max)
{
	int w = 1;
	for (size_t cap = 64; cap <= max && w < 11; cap *= 64)
		w++;
	return w;
}

/* `v` as `w` base-64 digits (the base64 alphabet), most significant first. */
static void S_digits(struct akb_buf *out, size_t v, int w)
{
	for (int i = w - 1; i >= 0; i--)
		akb_buf_putc(out, S_b64_alphabet[(v >> (6 * i)) & 63]);
}

/*
 * Facets: their names and values go into base.js (`head`), the values of
 * every document into search/facets.js (`docs`), which a page needs only
 * for counts and filters, so it can come after the first results. Each
 * number is a fixed count of base-64 digits: a page decodes a character a
 * digit, in one pass (one character a document for most facets).
 */
static void S_write_facets(struct akb_search_builder *sb, struct akb_buf *head, struct akb_buf *docs_js)
{
	akb_buf_puts(head, ",\"facets\":[");
	akb_buf_puts(docs_js, "__akbSearchLoad(\"facets\",0,[");
	for (size_t f = 0; f < sb->nfacets; f++) {
		struct facet *fc = &sb->facets[f];
		/* Values sorted for display; documents refer to them through the sorted positions. */
		char **sorted = akb_xcalloc(fc->nnames + 1, sizeof(char *));
		if (fc->nnames) {
			memcpy(sorted, fc->names, fc->nnames * sizeof(char *));
			qsort(sorted, fc->nnames, sizeof(char *), S_cmp_cstr);
		}
		size_t *rank = akb_xcalloc(fc->nnames + 1, sizeof(size_t));
		for (size_t i = 0; i < fc->nnames; i++) {
			size_t orig;
			akb_strmap_get(&fc->values, sorted[i], &orig);
			rank[orig] = i;
		}
		/* A facet with at most one value per document (department, model) takes one number a document. */
		int one = 1;
		for (size_t d = 0; d < sb->ndocs && one; d++)
			one = fc->doc_counts[d] <= 1;
		akb_buf_puts(head, f ? ",\n{" : "\n{");
		akb_buf_puts(head, "\"key\":");
		akb_json_cstr(head, fc->key);
		akb_buf_puts(head, ",\"title\":");
		akb_json_cstr(head, fc->title);
		akb_buf_puts(head, ",\"values\":[");
		for (size_t i = 0; i < fc->nnames; i++) {
			if (i)
				akb_buf_putc(head, ',');
			akb_json_cstr(head, sorted[i]);
		}
		akb_buf_printf(head, "],\"one\":%d}", one);
		/* Counts, indexes and index + 1 are all at most nnames. */
		int w = S_digit_width(fc->nnames);
		struct akb_buf docs = AKB_BUF_INIT;
		for (size_t d = 0; d < sb->ndocs; d++) {
			if (!one)
				S_digits(&docs, fc->doc_counts[d], w);
			size_t i = 0;
			while (i < fc->doc_values[d].len)
				S_digits(&docs, rank[S_get_varint(&fc->doc_values[d], &i)] + (size_t)one, w);
			if (one && !fc->doc_counts[d])
				S_digits(&docs, 0, w);
		}
		akb_buf_puts(docs_js, f ? ",\n" : "\n");
		akb_json_string(docs_js, docs.ptr, docs.len);
		akb_buf_release(&docs);
		free(sorted);
		free(rank);
	}
	akb_buf_puts(head, "]");
	akb_buf_puts(docs_js, "]);\n");
}

/* Each term's postings published, and each shard written, on its own: any thread, any order. */
struct write_jobs {
	struct akb_search_builder *sb;
	struct akb_output *out;
	const size_t *order; /* published terms: term indexes, in term order once sorted */
	const double *avg;
	struct shard {
		size_t from, to; /* order[from..to) */
		char *id;
		struct akb_search_stats stats;
		struct akb_diag diag; /* silent; replayed in shard order */
		int rc;
	} *shards;
	size_t nshards, cshards;
};

static void S_publish_task(void *ctx, size_t k)
{
	struct write_jobs *w = ctx;
	S_publish_postings(&w->sb->terms[w->order[k]], w->sb->lengths, w->avg);
}

static void S_shard_task(void *ctx, size_t k)
{
	struct write_jobs *w = ctx;
	struct shard *s = &w->shards[k];
	s->rc = S_write_shard(w->sb, w->out, s->id, w->order, s->from, s->to, &s->stats, &s->diag);
}

/*
 * ---- the snapshot: the builder's postings before publishing ----
 *
 * A rebuild whose documents are mostly the last build's need not add every
 * document again: it reads the postings the last build had (each entry a
 * document's counts, which do not depend on the others; only publishing
 * weighs them against the averages), takes out the entries of the
 * documents whose encoding changed and puts in their new ones. The file
 * (page cache side file "index", page_cache.h):
 *   SNAP_MAGIC, documents u64, terms u64,
 *   per document: its encoding's digest u64, its field lengths u32 each,
 *   per term: text (sized), indexed, df, last document (varints), postings (sized),
 *   the digest of it all chained (u64), "AKBSNAP1".
 * Documents are compared by digest, so a snapshot of any build is sound to
 * patch; one that does not read back whole is ignored (warned).
 */
#define SNAP_MAGIC "agentkb-index 1 " AKB_VERSION "\n"
#define SNAP_TRAILER "AKBSNAP1"

/* Chains the digest of p[0..n) into *h. */
static void S_snap_mix(uint64_t *h, const void *p, size_t n)
{
	const uint64_t v[2] = { *h, akb_digest(p, n) };
	*h = akb_digest(v, sizeof v);
}

/*
 * The file's bytes are digested in blocks of SNAP_BLOCK as they stream, on
 * either side, so the digest does not depend on how they were cut up.
 */
#define SNAP_BLOCK ((size_t)1 << 16)

struct snap_writer {
	FILE *f;
	struct akb_buf block;
	uint64_t h;
	int bad;
};

static void S_snap_flush(struct snap_writer *w)
{
	if (!w->block.len)
		return;
	S_snap_mix(&w->h, w->block.ptr, w->block.len);
	if (fwrite(w->block.ptr, 1, w->block.len, w->f) != w->block.len)
		w->bad = 1;
	akb_buf_clear(&w->block);
}

static void S_snap_write(struct snap_writer *w, const void *data, size_t n)
{
	const char *p = data;
	while (n) {
		size_t k = SNAP_BLOCK - w->block.len < n ? SNAP_BLOCK - w->block.len : n;
		akb_buf_put(&w->block, p, k);
		p += k;
		n -= k;
		if (w->block.len == SNAP_BLOCK)
			S_snap_flush(w);
	}
}

/* Writes the snapshot (after the last document's postings are flushed, before publishing). */
static int S_save_snapshot(const struct akb_search_builder *sb, FILE *f)
{
	struct snap_writer w = { f, AKB_BUF_INIT, 0, 0 };
	struct akb_buf b = AKB_BUF_INIT;
	akb_buf_puts(&b, SNAP_MAGIC);
	akb_buf_put_u64(&b, sb->ndocs);
	akb_buf_put_u64(&b, sb->nterms);
	for (size_t d = 0; d < sb->ndocs; d++) {
		akb_buf_put_u64(&b, sb->doc_digest[d]);
		for (int k = 0; k < AKB_FIELD_COUNT; k++)
			for (int i = 0; i < 4; i++)
				akb_buf_putc(&b, (int)((sb->lengths[d * AKB_FIELD_COUNT + (size_t)k] >> (8 * i)) & 0xFF));
		if (b.len >= SNAP_BLOCK) {
			S_snap_write(&w, b.ptr, b.len);
			akb_buf_clear(&b);
		}
	}
	for (size_t i = 0; i < sb->nterms && !w.bad; i++) {
		const struct term *t = &sb->terms[i];
		akb_buf_put_sized(&b, t->text, strlen(t->text));
		akb_buf_put_varint(&b, (uint64_t)t->indexed);
		akb_buf_put_varint(&b, t->df);
		akb_buf_put_varint(&b, t->last_doc);
		akb_buf_put_varint(&b, t->post.len);
		S_snap_write(&w, b.ptr, b.len);
		S_snap_write(&w, t->post.ptr ? t->post.ptr : "", t->post.len);
		akb_buf_clear(&b);
	}
	S_snap_write(&w, b.ptr, b.len);
	S_snap_flush(&w);
	akb_buf_clear(&b);
	akb_buf_put_u64(&b, w.h);
	akb_buf_puts(&b, SNAP_TRAILER);
	int ok = !w.bad && fwrite(b.ptr, 1, b.len, f) == b.len;
	akb_buf_release(&b);
	akb_buf_release(&w.block);
	return ok ? 0 : -1;
}

/* Reading the snapshot: its content (all but the trailer) in digested blocks. */
struct snap_reader {
	FILE *f;
	char *block;
	size_t pos, len;
	uint64_t left; /* content bytes not read into a block yet */
	uint64_t h;
	int bad;
};

static int S_snap_read(struct snap_reader *r, char *to, size_t n)
{
	while (n && !r->bad) {
		if (r->pos == r->len) {
			size_t k = r->left < SNAP_BLOCK ? (size_t)r->left : SNAP_BLOCK;
			if (!k || fread(r->block, 1, k, r->f) != k) {
				r->bad = 1;
				break;
			}
			S_snap_mix(&r->h, r->block, k);
			r->left -= k;
			r->pos = 0;
			r->len = k;
		}
		size_t k = r->len - r->pos < n ? r->len - r->pos : n;
		memcpy(to, r->block + r->pos, k);
		r->pos += k;
		to += k;
		n -= k;
	}
	return r->bad ? -1 : 0;
}

/* n bytes into `into` (NUL-terminated); NULL when they are not there. */
static const unsigned char *S_snap_take(struct snap_reader *r, struct akb_buf *into, size_t n)
{
	akb_buf_clear(into);
	akb_buf_grow(into, n);
	if (S_snap_read(r, into->ptr, n) != 0)
		return NULL;
	into->len = n;
	into->ptr[n] = '\0';
	return (const unsigned char *)into->ptr;
}

/* A varint from the stream; sets r->bad on a bad one. */
static uint64_t S_snap_varint(struct snap_reader *r)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 70; shift += 7) {
		char c;
		if (S_snap_read(r, &c, 1) != 0)
			return 0;
		if (shift < 64)
			v |= (uint64_t)((unsigned char)c & 0x7F) << shift;
		if (!((unsigned char)c & 0x80))
			return v;
	}
	r->bad = 1;
	return 0;
}

/* One term of a snapshot, read but not yet the builder's. */
struct snap_term {
	char *text;
	int indexed;
	size_t df, last_doc;
	struct akb_buf post;
};

static void S_snap_terms_free(struct snap_term *terms, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(terms[i].text);
		akb_buf_release(&terms[i].post);
	}
	free(terms);
}

/* A posting of a changed document, to go into its term. */
struct snap_insert {
	size_t term, doc;
	uint32_t mask;
	uint32_t tf[AKB_FIELD_COUNT];
};

static int S_by_insert(const void *x, const void *y)
{
	const struct snap_insert *a = x, *b = y;
	return a->term != b->term ? (a->term < b->term ? -1 : 1) : (a->doc < b->doc ? -1 : a->doc > b->doc);
}

/*
 * Rewrites term `t`'s postings without the documents `changed` marks and with
 * ins[0..n) (its new ones, in document order); df, last document and whether
 * it is published follow. Entries are varints with gaps from the entry
 * before: runs of entries whose predecessor stays are copied as they are,
 * and only the first kept entry after a change gets its gap written again.
 */
/* The fields that make a term published: all but nameprefix (search.h). */
#define SNAP_PUBLISHED_FIELDS (((1u << AKB_FIELD_COUNT) - 1) & ~(1u << AKB_FIELD_NAME_PREFIX))

/* Appends a changed document's new posting (S_snap_rewrite), with what follows from it. */
static void S_snap_put_new(struct akb_buf *out, const struct snap_insert *e, size_t *df, size_t *last, int *indexed)
{
	S_put_posting(out, *df ? e->doc - *last : e->doc, e->mask, e->tf);
	*indexed |= (e->mask & SNAP_PUBLISHED_FIELDS) != 0;
	*last = e->doc;
	(*df)++;
}

static void S_snap_rewrite(struct term *t, const unsigned char *changed, const struct snap_insert *ins, size_t n)
{
	struct akb_buf out = AKB_BUF_INIT;
	akb_buf_grow(&out, t->post.len + 64 * (n + 1));
	size_t i = 0, doc = 0, k = 0, df = 0, last = 0, copy_from = 0;
	int indexed = 0, regap = 0; /* regap: the next kept entry follows another than before */
	for (size_t e = 0; e < t->df && i < t->post.len; e++) {
		size_t start = i, after_gap;
		uint32_t mask = S_next_posting(&t->post, &i, &doc, &after_gap, NULL);
		/* New entries before this one (or in its place, for a changed document). */
		if (k < n && ins[k].doc <= doc) {
			akb_buf_put(&out, t->post.ptr + copy_from, start - copy_from);
			copy_from = start;
			for (; k < n && ins[k].doc <= doc; k++)
				S_snap_put_new(&out, &ins[k], &df, &last, &indexed);
			regap = 1;
		}
		if (changed[doc]) { /* its old entry goes */
			akb_buf_put(&out, t->post.ptr + copy_from, start - copy_from);
			copy_from = i;
			regap = 1;
			continue;
		}
		if (regap) {
			akb_buf_put(&out, t->post.ptr + copy_from, start - copy_from);
			unsigned char gap[10];
			akb_buf_put(&out, gap, (size_t)(akb_varint_at(gap, df ? doc - last : doc) - gap));
			copy_from = after_gap;
			regap = 0;
		}
		indexed |= (mask & SNAP_PUBLISHED_FIELDS) != 0;
		last = doc;
		df++;
	}
	akb_buf_put(&out, t->post.ptr + copy_from, i - copy_from);
	for (; k < n; k++)
		S_snap_put_new(&out, &ins[k], &df, &last, &indexed);
	akb_buf_release(&t->post);
	t->post = out;
	t->df = df;
	t->last_doc = last;
	t->indexed = indexed;
}

/* Does `t`'s postings hold a document `changed` marks? */
static int S_snap_touches(const struct term *t, const unsigned char *changed)
{
	size_t i = 0, doc = 0;
	for (size_t e = 0; e < t->df && i < t->post.len; e++) {
		S_next_posting(&t->post, &i, &doc, NULL, NULL);
		if (changed[doc])
			return 1;
	}
	return 0;
}

/*
 * Adds the held documents by patching the last build's snapshot, when every
 * document is held in id order, nothing else was added yet, the snapshot
 * has as many documents and most are unchanged. Returns 1 when patched; 0
 * leaves the builder as it was (the documents are then added as usual), and
 * a damaged snapshot is warned about.
 */
static int S_patch(struct akb_search_builder *sb, struct akb_diag *diag)
{
	if (!sb->patch_from || !sb->inputs_known || sb->nterms || sb->cur_doc != SIZE_MAX || sb->nheld != sb->ndocs ||
	    !sb->ndocs)
		return 0;
	for (size_t k = 0; k < sb->nheld; k++)
		if (sb->held[k].doc != k)
			return 0;
	FILE *f = fopen(sb->patch_from, "rb");
	struct stat fst;
	if (!f || fstat(fileno(f), &fst) != 0 || fst.st_size < (off_t)(strlen(SNAP_MAGIC) + 16 + 8 + strlen(SNAP_TRAILER))) {
		if (f)
			fclose(f);
		return 0;
	}
	struct snap_reader r = { f, akb_xmalloc(SNAP_BLOCK), 0, 0, (uint64_t)fst.st_size - 8 - strlen(SNAP_TRAILER), 0, 0 };
	struct akb_buf chunk = AKB_BUF_INIT;
	const size_t magic = strlen(SNAP_MAGIC), per_doc = 8 + 4 * AKB_FIELD_COUNT;
	const unsigned char *p = S_snap_take(&r, &chunk, magic + 16);
	uint64_t ndocs = p ? akb_get_u64(p + magic) : 0, nterms = p ? akb_get_u64(p + magic + 8) : 0;
	if (!p || memcmp(p, SNAP_MAGIC, magic) || ndocs != sb->ndocs) {
		/* another version's, or another site's shape: not damage, nothing to say */
		fclose(f);
		free(r.block);
		akb_buf_release(&chunk);
		return 0;
	}
	uint32_t *lengths = akb_xcalloc(akb_xmul(sb->ndocs + 1, AKB_FIELD_COUNT), sizeof(uint32_t));
	unsigned char *changed = akb_xcalloc(sb->ndocs + 1, 1);
	size_t nchanged = 0;
	for (size_t d = 0; d < sb->ndocs && !r.bad; d++) {
		p = S_snap_take(&r, &chunk, per_doc);
		if (!p)
			break;
		changed[d] = akb_get_u64(p) != sb->doc_digest[d];
		nchanged += changed[d];
		for (int k = 0; k < AKB_FIELD_COUNT; k++)
			lengths[d * AKB_FIELD_COUNT + (size_t)k] = (uint32_t)p[8 + 4 * k] | (uint32_t)p[9 + 4 * k] << 8 |
								   (uint32_t)p[10 + 4 * k] << 16 | (uint32_t)p[11 + 4 * k] << 24;
	}
	/* Sizes are bounded by what is left before they are trusted: the digest is known only at the end. */
	uint64_t left = r.left + (r.len - r.pos);
	int worth = !r.bad && nchanged <= sb->ndocs / 2 && nterms <= left / 5;
	struct snap_term *terms = worth ? akb_xcalloc((size_t)nterms + 1, sizeof(*terms)) : NULL;
	size_t got = 0;
	for (; worth && got < nterms && !r.bad; got++) {
		struct snap_term *st = &terms[got];
		uint64_t len = S_snap_varint(&r);
		if (r.bad || len > r.left + (r.len - r.pos) || !S_snap_take(&r, &chunk, (size_t)len) ||
		    memchr(chunk.ptr, '\0', chunk.len)) {
			r.bad = 1;
			break;
		}
		st->text = akb_xstrndup(chunk.ptr, chunk.len);
		st->indexed = S_snap_varint(&r) != 0;
		st->df = (size_t)S_snap_varint(&r);
		st->last_doc = (size_t)S_snap_varint(&r);
		uint64_t plen = S_snap_varint(&r);
		if (r.bad || plen > r.left + (r.len - r.pos) || st->df > sb->ndocs || st->last_doc >= sb->ndocs) {
			r.bad = 1;
			break;
		}
		akb_buf_init(&st->post);
		if (plen && !S_snap_take(&r, &st->post, (size_t)plen))
			break;
	}
	if (worth && !r.bad) {
		/* All the content read, then the trailer: the digest of what was read, and the end. */
		unsigned char trailer[8 + sizeof SNAP_TRAILER];
		if (r.pos != r.len || r.left || fread(trailer, 1, 8 + strlen(SNAP_TRAILER), f) != 8 + strlen(SNAP_TRAILER) ||
		    akb_get_u64(trailer) != r.h || memcmp(trailer + 8, SNAP_TRAILER, strlen(SNAP_TRAILER)))
			r.bad = 1;
	}
	fclose(f);
	free(r.block);
	akb_buf_release(&chunk);
	if (r.bad)
		akb_warn(diag, sb->patch_from, 0, 0, "ignoring the search index's snapshot (damaged); adding every document");
	if (r.bad || !worth) {
		S_snap_terms_free(terms, terms ? got + 1 : 0); /* the one being read too (zeroed past it) */
		free(lengths);
		free(changed);
		return 0;
	}

	/* The builder takes the snapshot's terms (in the snapshot's order, with room made once) and lengths. */
	akb_strmap_reserve(&sb->term_ids, got);
	sb->cap = got + 1024;
	sb->terms = akb_xrealloc(sb->terms, akb_xmul(sb->cap, sizeof(*sb->terms)));
	for (size_t i = 0; i < got; i++) {
		struct snap_term *st = &terms[i];
		size_t len = strlen(st->text);
		int added;
		struct akb_strmap_slot *slot =
			akb_strmap_put_hashed(&sb->term_ids, st->text, len, akb_hash_bytes(st->text, len), &added);
		if (!added) /* the same text twice: only a snapshot made wrongly has it; the first stands */
			continue;
		struct term *t = &sb->terms[sb->nterms];
		memset(t, 0, sizeof(*t));
		t->text = st->text; /* taken, not copied */
		st->text = NULL;
		t->indexed = st->indexed;
		t->df = st->df;
		t->last_doc = st->last_doc;
		t->cur_doc = SIZE_MAX;
		t->post = st->post;
		akb_buf_init(&st->post);
		slot->key = t->text;
		slot->value = sb->nterms++;
	}
	S_snap_terms_free(terms, got);
	memcpy(sb->lengths, lengths, akb_xmul(sb->ndocs * AKB_FIELD_COUNT, sizeof(uint32_t)));
	free(lengths);

	/* The changed documents' new postings, by term then document. */
	struct snap_insert *ins = NULL;
	size_t nins = 0, cins = 0;
	for (size_t d = 0; d < sb->ndocs; d++) {
		if (!changed[d])
			continue;
		struct akb_search_doc *doc = S_decode_held(sb, &sb->held[d]);
		if (!doc) {
			sb->held_bad = 1;
			continue;
		}
		for (int k = 0; k < AKB_FIELD_COUNT; k++)
			sb->lengths[d * AKB_FIELD_COUNT + (size_t)k] = doc->lengths[k];
		for (size_t i = 0; i < doc->nterms; i++) {
			const struct doc_term *dt = &doc->terms[i];
			struct term *t = S_term(sb, dt);
			ins = akb_xgrow(ins, nins, &cins, 1024, sizeof(*ins));
			struct snap_insert *e = &ins[nins++];
			e->term = (size_t)(t - sb->terms);
			e->doc = d;
			e->mask = dt->mask;
			memcpy(e->tf, dt->tf, sizeof e->tf);
		}
		akb_search_doc_free(doc);
	}
	if (nins)
		qsort(ins, nins, sizeof(*ins), S_by_insert);
	for (size_t t = 0, k = 0; t < sb->nterms; t++) {
		size_t from = k;
		while (k < nins && ins[k].term == t)
			k++;
		if (k > from || S_snap_touches(&sb->terms[t], changed))
			S_snap_rewrite(&sb->terms[t], changed, ins + from, k - from);
	}
	free(ins);
	free(changed);
	for (size_t k = 0; k < sb->nheld; k++)
		free(sb->held[k].data);
	sb->nheld = 0;
	sb->held_bytes = 0;
	sb->patched = 1;
	return 1;
}

void akb_search_patch_from(struct akb_search_builder *sb, const char *snapshot)
{
	sb->patch_from = snapshot;
}

void akb_search_snapshot_to(struct akb_search_builder *sb, FILE *f)
{
	sb->snapshot_to = f;
}

int akb_search_patched(const struct akb_search_builder *sb)
{
	return sb->patched;
}

int akb_search_write(struct akb_search_builder *sb, struct akb_output *out, struct akb_search_stats *stats,
		     struct akb_diag *diag)
{
	memset(stats, 0, sizeof(*stats));
	akb_buf_clear(&sb->files);
	if (!S_patch(sb, diag))
		S_add_held(sb);
	if (sb->held_bad)
		return akb_error(diag, NULL, 0, 0, "a search document held in the page cache cannot be read back or does not decode; build again with --clean");
	S_begin_doc(sb, SIZE_MAX - 1);
	/* Every document's postings are in, not yet weighed: what the next build patches. */
	if (sb->snapshot_to && sb->inputs_known && S_save_snapshot(sb, sb->snapshot_to) != 0)
		sb->snapshot_to = NULL; /* the page cache drops the file (a failed write) */

	/* Average field lengths, which the impacts are relative to. */
	double avg[AKB_FIELD_COUNT] = { 0 };
	for (size_t d = 0; d < sb->ndocs; d++)
		for (int f = 0; f < AKB_FIELD_COUNT; f++)
			avg[f] += sb->lengths[d * AKB_FIELD_COUNT + f];
	for (int f = 0; f < AKB_FIELD_COUNT; f++)
		avg[f] = sb->ndocs ? avg[f] / (double)sb->ndocs : 0.0;

	/* Published terms: those of some field other than nameprefix (search.h). */
	size_t *order = akb_xcalloc(sb->nterms + 1, sizeof(size_t)), nterms = 0;
	for (size_t i = 0; i < sb->nterms; i++) {
		if (!sb->terms[i].indexed)
			continue;
		order[nterms++] = i;
		stats->postings += sb->terms[i].df;
	}
	struct write_jobs w = { sb, out, order, avg, NULL, 0, 0 };
	akb_parallel_for(nterms, sb->jobs, S_publish_task, &w);
	S_sort_terms = sb->terms;
	if (nterms)
		qsort(order, nterms, sizeof(size_t), S_by_term);
	stats->terms = nterms;

	/* Where the shards end and what they are named, in one pass; then they are written on the threads. */
	int rc = 0;
	struct akb_buf shards = AKB_BUF_INIT, solo = AKB_BUF_INIT, ids = AKB_BUF_INIT, id = AKB_BUF_INIT;
	struct akb_strmap used_ids;
	akb_strmap_init(&used_ids);
	size_t from = 0, acc = 0;
	int big_prev = 0;
	for (size_t i = 0; i <= nterms; i++) {
		int last = i == nterms;
		const char *text = last ? "" : sb->terms[order[i]].text;
		size_t size = last ? 0 : strlen(text) + sb->terms[order[i]].post.len + 4;
		int big = size >= SOLO_BYTES;
		int cut_here = acc >= SHARD_MAX_BYTES ||
			       (acc >= SHARD_MIN_BYTES && (akb_hash_bytes(text, strlen(text)) & SHARD_CUT_MASK) == 0);
		/* Cut at a boundary term, around a big term, and at the end (an empty index still has shard 0). */
		if ((i > from && (cut_here || big || big_prev)) || (last && (from < i || w.nshards == 0))) {
			size_t k = w.nshards;
			const char *first = from < nterms ? sb->terms[order[from]].text : "";
			if (k) {
				akb_buf_putc(&shards, '\n');
				akb_buf_puts(&shards, first);
				akb_buf_putc(&ids, '\n');
			}
			akb_buf_clear(&id);
			akb_buf_printf(&id, "%08llx", (unsigned long long)(akb_hash_bytes(first, strlen(first)) & 0xffffffffu));
			int added;
			akb_strmap_add(&used_ids, id.ptr, id.len, k, &added);
			if (!added) /* two first terms with one hash: rare, and then only this name depends on the order */
				akb_buf_printf(&id, "-%zu", k);
			akb_buf_puts(&ids, id.ptr);
			akb_buf_putc(&solo, i - from == 1 ? '1' : '0');
			w.shards = akb_xgrow(w.shards, w.nshards, &w.cshards, 256, sizeof(*w.shards));
			struct shard *s = &w.shards[w.nshards++];
			memset(s, 0, sizeof(*s));
			s->from = from;
			s->to = i;
			s->id = akb_xstrdup(id.ptr);
			akb_diag_init(&s->diag, NULL);
			from = i;
			acc = 0;
		}
		acc += size;
		big_prev = big;
	}
	akb_strmap_release(&used_ids);
	akb_buf_release(&id);
	stats->shards = w.nshards;
	akb_parallel_for(w.nshards, sb->jobs, S_shard_task, &w);
	/* As one thread would have: the shards' bytes, and the messages up to the first shard that failed. */
	for (size_t s = 0; s < w.nshards; s++) {
		if (rc == 0) {
			stats->bytes += w.shards[s].stats.bytes;
			akb_output_append_messages(diag, &w.shards[s].diag);
			rc = w.shards[s].rc;
		}
		akb_buf_printf(&sb->files, "search/t%s.js\n", w.shards[s].id);
		akb_diag_release(&w.shards[s].diag);
		free(w.shards[s].id);
	}
	free(w.shards);

	struct akb_buf js = AKB_BUF_INIT, facets = AKB_BUF_INIT;
	/*
	 * Pages load base.js with an async tag in <head>, so it may run before
	 * search.js has defined the loader: its data then waits in
	 * window.__akbSearchBase, and a ?q= query starts without a round trip.
	 */
	akb_buf_puts(&js, "(typeof __akbSearchLoad==\"function\"?__akbSearchLoad:function(k,i,d){window.__akbSearchBase=d;})");
	akb_buf_printf(&js, "(\"base\",0,{\"v\":3,\"n\":%zu,\"fields\":[", sb->ndocs);
	for (int f = 0; f < AKB_FIELD_COUNT; f++)
		akb_buf_printf(&js, "%s\"%s\"", f ? "," : "", S_field_names[f]);
	akb_buf_puts(&js, "],\"boost\":[");
	for (int f = 0; f < AKB_FIELD_COUNT; f++)
		akb_buf_printf(&js, "%s%s", f ? "," : "", S_field_boosts[f]);
	akb_buf_printf(&js, "],\"bonus\":%s,\"chunk\":%d,\"shards\":", BONUS_TEXT, DOCS_PER_CHUNK);
	akb_json_string(&js, shards.ptr, shards.len);
	akb_buf_puts(&js, ",\"solo\":");
	akb_json_string(&js, solo.ptr, solo.len);
	akb_buf_puts(&js, ",\"ids\":");
	akb_json_string(&js, ids.ptr, ids.len);
	akb_buf_puts(&js, ",\"syn\":");
	akb_buf_put(&js, sb->synonyms.ptr, sb->synonyms.len);
	S_write_facets(sb, &js, &facets);
	akb_buf_puts(&js, "});\n");
	stats->base_bytes = js.len;
	if (rc == 0)
		rc = S_write_file(out, "search/base.js", &js, stats, diag);
	if (rc == 0)
		rc = S_write_file(out, "search/facets.js", &facets, stats, diag);
	if (rc == 0)
		rc = S_write_chunks(sb, out, stats, diag);
	akb_buf_puts(&sb->files, "search/base.js\nsearch/facets.js\n");
	for (size_t c = 0; c * DOCS_PER_CHUNK < sb->ndocs; c++)
		akb_buf_printf(&sb->files, "search/d%zu.js\n", c);
	akb_buf_release(&js);
	akb_buf_release(&facets);
	akb_buf_release(&shards);
	akb_buf_release(&ids);
	akb_buf_release(&solo);
	free(order);
	return rc;
}
