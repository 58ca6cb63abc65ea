/*
 * bundle_data: the data of the single file, as gzip+base64 blocks in
 * <script type="application/x-akb-data"> elements. Compressed, the pages of
 * a large site fit in a file a browser opens quickly; in blocks, showing a
 * page decompresses little more than that page. The blocks:
 *
 *  - "akb-data": the index, {"v", "home", "notfound", "pages": [[route,
 *    title, class, chunk]], "files"}, decompressed at once;
 *  - "akb-frags": the shared fragments, [parts];
 *  - "akb-c<n>": the pages' parts in chunks of about S_CHUNK bytes;
 *  - "akb-lazy": the search index files and the carried files, decompressed
 *    on the first search or download.
 *
 * A carried .md file whose text its page already holds in a <template>
 * (the copy button's) is stored as a reference to it instead.
 */
#include "core/prefix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agentkb/archive.h"
#include "agentkb/json.h"
#include "agentkb/utf8.h"
#include "bundle/bundle_int.h"

/*
 * Pages' data per compressed block, before compression: small enough that a
 * page shows after decompressing little more than itself, large enough that
 * compression across pages is kept (its window is only 32 KB anyway).
 */
#define S_CHUNK (256 * 1024)

/* The JSON being written, and the blocks done so far. */
struct data {
	struct bnd_packer *pk;
	struct akb_bundle_html_stats *stats;
	struct akb_buf index;  /* "akb-data" */
	struct akb_buf blocks; /* "akb-c<n>" and "akb-frags", written */
	struct akb_buf chunk;  /* the chunk being filled */
	struct akb_buf lazy;   /* "akb-lazy" */
	size_t nchunks, nlazy;
};

/* Appends <script type=... id=...> with the gzip+base64 of `json`; *gz_len gets the compressed size. */
static int S_data_block(struct bnd_packer *pk, const char *id, const struct akb_buf *json, struct akb_buf *out,
			size_t *gz_len)
{
	struct akb_buf gz = AKB_BUF_INIT, err = AKB_BUF_INIT;
	int rc = akb_gzip(json->ptr, json->len, 9, &gz, &err);
	if (rc)
		akb_error(pk->diag, NULL, 0, 0, "unable to compress the bundle's data: %s", err.ptr);
	/* base64 has no '<', so the data cannot end its <script> early. */
	akb_buf_printf(out, "<script type=\"application/x-akb-data\" id=\"%s\">", id);
	akb_buf_put_base64(out, gz.ptr, gz.len);
	akb_buf_puts(out, "</script>\n");
	*gz_len = gz.len;
	akb_buf_release(&gz);
	akb_buf_release(&err);
	return rc;
}

/* A block of page data, counted in the stats. */
static int S_page_block(struct data *d, const char *id, const struct akb_buf *json, struct akb_buf *out)
{
	size_t gzlen;
	int rc = S_data_block(d->pk, id, json, out, &gzlen);
	d->stats->data_raw += json->len;
	d->stats->data_gz += gzlen;
	return rc;
}

/* Ends the chunk of pages being filled and appends its block ("akb-c<n>"). */
static int S_flush_chunk(struct data *d)
{
	char id[32];
	snprintf(id, sizeof id, "akb-c%zu", d->nchunks++);
	akb_buf_puts(&d->chunk, "]\n");
	int rc = S_page_block(d, id, &d->chunk, &d->blocks);
	akb_buf_clear(&d->chunk);
	return rc;
}

/* Appends a page's parts to the chunk (ended first if they would overflow it) and its entry to the index. */
static int S_put_page(struct data *d, size_t i, struct akb_buf *parts)
{
	const struct bnd_page *pg = &d->pk->pages[i];
	akb_buf_clear(parts);
	bnd_page_parts(d->pk, pg, parts);
	if (d->chunk.len && d->chunk.len + parts->len > S_CHUNK && S_flush_chunk(d) != 0)
		return -1;
	akb_buf_putc(&d->chunk, d->chunk.len ? ',' : '[');
	akb_buf_put(&d->chunk, parts->ptr, parts->len);
	akb_buf_puts(&d->index, i ? ",\n[" : "\n[");
	akb_json_cstr(&d->index, pg->route);
	akb_buf_putc(&d->index, ',');
	akb_json_cstr(&d->index, pg->title);
	akb_buf_putc(&d->index, ',');
	akb_json_cstr(&d->index, pg->body_class);
	akb_buf_printf(&d->index, ",%zu]", d->nchunks);
	return 0;
}

/* The pages: their entries in the index, their parts in chunks. */
static int S_pages(struct data *d)
{
	struct akb_buf parts = AKB_BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < d->pk->npages && !rc; i++)
		rc = S_put_page(d, i, &parts);
	akb_buf_release(&parts);
	if (!rc && d->chunk.len)
		rc = S_flush_chunk(d);
	return rc;
}

/* The fragments the pages' parts numbered, in one block. */
static int S_fragments(struct data *d)
{
	struct akb_buf frags = AKB_BUF_INIT;
	akb_buf_putc(&frags, '[');
	for (size_t j = 0; j < d->pk->nfrag_ids; j++) {
		akb_buf_puts(&frags, j ? ",\n" : "\n");
		akb_buf_put(&frags, d->pk->frag_json[j].ptr, d->pk->frag_json[j].len);
	}
	akb_buf_puts(&frags, "]\n");
	int rc = S_page_block(d, "akb-frags", &frags, &d->blocks);
	akb_buf_release(&frags);
	return rc;
}

/*
 * Does the page hold the file's exact text in a <template id=...>? Agent
 * pages keep the raw agent file there for the copy button; the download
 * then needs no second copy. The text must survive HTML parsing unchanged
 * (no CR, no NUL), as the browser reads it back from the parsed template.
 */
static char *S_template_holding(const struct bnd_page *pg, const struct akb_buf *data)
{
	if (memchr(data->ptr, '\r', data->len) || memchr(data->ptr, '\0', data->len) ||
	    !akb_utf8_valid(data->ptr, data->len))
		return NULL;
	struct akb_html_scanner sc;
	struct akb_html_token t;
	const char *s = pg->content.ptr;
	struct akb_buf text = AKB_BUF_INIT, id = AKB_BUF_INIT;
	char *found = NULL;
	akb_html_scan_init(&sc, s, pg->content.len);
	while (!found && akb_html_scan_next(&sc, &t)) {
		struct akb_html_attr a;
		if (t.kind != AKB_HTML_START || !akb_html_name_is(t.name, t.name_len, "template") ||
		    !akb_html_attr_find(s, &t, "id", &a))
			continue;
		akb_buf_clear(&id);
		akb_html_unescape(&id, s + a.value, a.value_end - a.value);
		akb_buf_clear(&text);
		struct akb_html_token u;
		int plain = 1;
		while (akb_html_scan_next(&sc, &u)) {
			if (u.kind == AKB_HTML_END && akb_html_name_is(u.name, u.name_len, "template"))
				break;
			if (u.kind != AKB_HTML_TEXT)
				plain = 0;
			akb_html_unescape(&text, s + u.start, u.end - u.start);
		}
		if (plain && text.len == data->len && !memcmp(text.ptr, data->ptr, data->len))
			found = akb_xstrdup(id.ptr);
	}
	akb_buf_release(&text);
	akb_buf_release(&id);
	return found;
}

/* Appends "path": the file to the lazy data, as a string when it is UTF-8 text, else as {"b64": "..."}. */
static void S_lazy_file(struct data *d, const char *path, const struct akb_buf *file)
{
	akb_buf_puts(&d->lazy, d->nlazy++ ? ",\n" : "\n");
	akb_json_cstr(&d->lazy, path);
	akb_buf_putc(&d->lazy, ':');
	if (akb_utf8_valid(file->ptr, file->len) && !memchr(file->ptr, '\0', file->len)) {
		akb_json_string(&d->lazy, file->ptr, file->len);
		return;
	}
	akb_buf_puts(&d->lazy, "{\"b64\":\"");
	akb_buf_put_base64(&d->lazy, file->ptr, file->len);
	akb_buf_puts(&d->lazy, "\"}");
}

/* An attachment in the index: [page, template id] when its page holds it, else 0 and carried in the lazy data. */
static void S_put_attachment(struct data *d, size_t i, const struct akb_buf *file)
{
	struct bnd_attachment *at = &d->pk->att[i];
	at->tpl = S_template_holding(&d->pk->pages[at->page], file);
	akb_buf_puts(&d->index, i ? ",\n" : "\n");
	akb_json_cstr(&d->index, at->path);
	if (at->tpl) {
		akb_buf_printf(&d->index, ":[%zu,", at->page);
		akb_json_cstr(&d->index, at->tpl);
		akb_buf_putc(&d->index, ']');
	} else {
		akb_buf_puts(&d->index, ":0");
		S_lazy_file(d, at->path, file);
	}
}

/* The files pages link to ("files" of the index), then the search index files, into the lazy data. */
static int S_files(struct data *d)
{
	struct bnd_packer *pk = d->pk;
	struct akb_buf file = AKB_BUF_INIT;
	int rc = 0;
	akb_buf_puts(&d->index, "],\n\"files\":{");
	for (size_t i = 0; i < pk->natt && !rc; i++) {
		akb_buf_clear(&file);
		rc = bnd_read(pk, pk->att[i].path, &file);
		if (!rc)
			S_put_attachment(d, i, &file);
	}
	akb_buf_puts(&d->index, "}}\n");
	for (size_t i = 0; i < pk->npaths && !rc; i++) {
		if (strncmp(pk->paths[i], "search/", 7) != 0)
			continue;
		akb_buf_clear(&file);
		rc = bnd_read(pk, pk->paths[i], &file);
		if (!rc)
			S_lazy_file(d, pk->paths[i], &file);
	}
	akb_buf_puts(&d->lazy, "}\n");
	akb_buf_release(&file);
	return rc;
}

/* The blocks in the order the runtime reads them: the index, the pages' blocks, the lazy data. */
static int S_put_blocks(struct data *d, struct akb_buf *out)
{
	if (S_page_block(d, "akb-data", &d->index, out) != 0)
		return -1;
	akb_buf_put(out, d->blocks.ptr, d->blocks.len);
	if (S_data_block(d->pk, "akb-lazy", &d->lazy, out, &d->stats->lazy_gz) != 0)
		return -1;
	d->stats->chunks = d->nchunks;
	d->stats->lazy_raw = d->lazy.len;
	return 0;
}

int bnd_put_data(struct bnd_packer *pk, size_t home, size_t notfound, struct akb_buf *out,
		 struct akb_bundle_html_stats *stats)
{
	struct data d = { pk, stats, AKB_BUF_INIT, AKB_BUF_INIT, AKB_BUF_INIT, AKB_BUF_INIT, 0, 0 };
	akb_buf_printf(&d.index, "{\"v\":2,\"home\":%zu,\"notfound\":%zu,\"pages\":[", home, notfound);
	akb_buf_putc(&d.lazy, '{');
	int rc = S_pages(&d) || S_fragments(&d) || S_files(&d) || S_put_blocks(&d, out) ? -1 : 0;
	akb_buf_release(&d.index);
	akb_buf_release(&d.blocks);
	akb_buf_release(&d.chunk);
	akb_buf_release(&d.lazy);
	return rc;
}
