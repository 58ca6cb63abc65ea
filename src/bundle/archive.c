/*
 * archive: .zip and .tar.gz bundles of a built site, and gzip of a buffer,
 * through libarchive (the only file that includes its headers).
 */
#include "core/prefix.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <locale.h>
#include <string.h>

#include "agentkb/archive.h"
#include "agentkb/output.h"
#include "agentkb/strmap.h"

/* libarchive's write callback for an in-memory archive: appends to an akb_buf. */
static la_ssize_t S_buf_write(struct archive *a, void *ctx, const void *p, size_t n)
{
	(void)a;
	akb_buf_put(ctx, p, n);
	return (la_ssize_t)n;
}

/* Writes all of data[0..len); archive_write_data may take it in parts. */
static int S_write_all(struct archive *a, const char *data, size_t len)
{
	while (len) {
		la_ssize_t n = archive_write_data(a, data, len);
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int akb_gzip(const void *data, size_t len, int level, struct akb_buf *out, struct akb_buf *err)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	if (!a || !e)
		akb_die("out of memory");
	char lvl[4];
	snprintf(lvl, sizeof lvl, "%d", level < 1 ? 1 : level > 9 ? 9 : level);
	int rc = -1;
	/*
	 * The raw format writes one entry's bytes with no container around
	 * them, so with the gzip filter the output is a plain gzip stream. No
	 * timestamp keeps bundles reproducible; one-byte blocks stop libarchive
	 * from padding the stream with zeros, which a browser's
	 * DecompressionStream would reject as trailing junk.
	 */
	if (archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
	    archive_write_set_filter_option(a, "gzip", "compression-level", lvl) != ARCHIVE_OK ||
	    archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK ||
	    archive_write_set_format_raw(a) != ARCHIVE_OK || archive_write_set_bytes_per_block(a, 1) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
	    archive_write_open2(a, out, NULL, S_buf_write, NULL, NULL) != ARCHIVE_OK)
		goto done;
	archive_entry_set_pathname(e, "data");
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	if (archive_write_header(a, e) != ARCHIVE_OK || S_write_all(a, data, len) != 0 ||
	    archive_write_close(a) != ARCHIVE_OK)
		goto done;
	rc = 0;
done:
	if (rc)
		akb_buf_puts(err, archive_error_string(a) ? archive_error_string(a) : "gzip failed");
	archive_entry_free(e);
	archive_write_free(a);
	return rc;
}

/* Sets up `a` for the format; names are written as UTF-8 whatever the locale. */
static int S_set_format(struct archive *a, enum akb_archive_format format)
{
	if (format == AKB_ARCHIVE_ZIP)
		return archive_write_set_format_zip(a) == ARCHIVE_OK &&
				       archive_write_set_format_option(a, "zip", "hdrcharset", "UTF-8") == ARCHIVE_OK
			       ? 0
			       : -1;
	return archive_write_set_format_pax_restricted(a) == ARCHIVE_OK &&
			       archive_write_add_filter_gzip(a) == ARCHIVE_OK &&
			       archive_write_set_filter_option(a, "gzip", "timestamp", NULL) == ARCHIVE_OK
		       ? 0
		       : -1;
}

static void S_entry(struct archive_entry *e, const char *name, int folder, size_t size, long long mtime)
{
	archive_entry_clear(e);
	archive_entry_set_pathname_utf8(e, name);
	archive_entry_set_filetype(e, folder ? AE_IFDIR : AE_IFREG);
	archive_entry_set_perm(e, folder ? 0755 : 0644);
	archive_entry_set_size(e, folder ? 0 : (la_int64_t)size);
	archive_entry_set_mtime(e, (time_t)mtime, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_uname(e, "root");
	archive_entry_set_gname(e, "root");
}

/* Writes a folder entry for each parent of `rel` not written yet ("top/", "top/agents/", ...). */
static int S_folders(struct archive *a, struct archive_entry *e, struct akb_strmap *done, const char *top,
		     const char *rel, long long mtime)
{
	struct akb_buf name = AKB_BUF_INIT;
	int rc = 0;
	akb_buf_printf(&name, "%s/", top);
	const char *p = rel;
	for (;;) {
		size_t v;
		if (!akb_strmap_get(done, name.ptr, &v)) {
			akb_strmap_set(done, name.ptr, 1);
			S_entry(e, name.ptr, 1, 0, mtime);
			if (archive_write_header(a, e) < ARCHIVE_WARN) {
				rc = -1;
				break;
			}
		}
		const char *slash = strchr(p, '/');
		if (!slash)
			break;
		akb_buf_put(&name, p, (size_t)(slash - p) + 1);
		p = slash + 1;
	}
	akb_buf_release(&name);
	return rc;
}

int akb_archive_write(const char *path, enum akb_archive_format format, const char *dir,
		      const char *const *paths, size_t npaths, const char *top, long long mtime,
		      struct akb_diag *diag)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	if (!a || !e)
		akb_die("out of memory");
	struct akb_strmap done;
	akb_strmap_init(&done);
	struct akb_buf src = AKB_BUF_INIT, data = AKB_BUF_INIT, name = AKB_BUF_INIT;
	int rc = -1;
	/*
	 * Names are UTF-8 (CJK slugs). libarchive converts them to the locale's
	 * charset for the tar header, and in the C locale that fails (3.6.2
	 * even crashes on it); so this thread runs in a UTF-8 locale meanwhile.
	 */
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (!utf8)
		utf8 = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", (locale_t)0);
	locale_t old = utf8 ? uselocale(utf8) : (locale_t)0;
	if (S_set_format(a, format) != 0 || archive_write_open_filename(a, path) != ARCHIVE_OK) {
		akb_error(diag, path, 0, 0, "unable to write: %s", archive_error_string(a));
		goto done;
	}
	for (size_t i = 0; i < npaths; i++) {
		if (akb_output_interrupted()) {
			akb_error(diag, path, 0, 0, "interrupted");
			goto done;
		}
		akb_buf_clear(&src);
		akb_buf_printf(&src, "%s/%s", dir, paths[i]);
		akb_buf_clear(&data);
		if (akb_buf_read_file(&data, src.ptr) != 0) {
			akb_error(diag, src.ptr, 0, 0, "unable to read: %s", strerror(errno));
			goto done;
		}
		if (S_folders(a, e, &done, top, paths[i], mtime) != 0)
			goto fail;
		akb_buf_clear(&name);
		akb_buf_printf(&name, "%s/%s", top, paths[i]);
		S_entry(e, name.ptr, 0, data.len, mtime);
		if (archive_write_header(a, e) < ARCHIVE_WARN || S_write_all(a, data.ptr, data.len) != 0)
			goto fail;
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		goto fail;
	rc = 0;
	goto done;
fail:
	akb_error(diag, path, 0, 0, "unable to write: %s", archive_error_string(a));
done:
	archive_entry_free(e);
	archive_write_free(a);
	if (utf8) {
		uselocale(old);
		freelocale(utf8);
	}
	akb_strmap_release(&done);
	akb_buf_release(&src);
	akb_buf_release(&data);
	akb_buf_release(&name);
	return rc;
}
