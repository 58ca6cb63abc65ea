/*
 * archive: everything agentkb does with libarchive, which no other module
 * includes: packing a built site as .zip or .tar.gz, and gzip-compressing a
 * buffer (for the single-file bundle's page data).
 */
#ifndef AKB_ARCHIVE_H
#define AKB_ARCHIVE_H

#include <stddef.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"

enum akb_archive_format {
	AKB_ARCHIVE_ZIP,    /* .zip, deflate */
	AKB_ARCHIVE_TAR_GZ, /* .tar.gz / .tgz: POSIX (pax) tar, gzip */
};

/*
 * Packs the files `paths` (relative to `dir`, '/'-separated, in that
 * order) into a new archive at `path`, each under `top`/ (folders get their
 * own entries, mode 0755; files 0644; owner 0:0; every mtime `mtime`).
 * Names are stored as UTF-8. Stops early with "interrupted" when a signal
 * asked to (akb_output_interrupted). Returns 0, or -1 (reported; `path` may
 * then hold a partial archive, which the caller removes).
 */
int akb_archive_write(const char *path, enum akb_archive_format format, const char *dir,
		      const char *const *paths, size_t npaths, const char *top, long long mtime,
		      struct akb_diag *diag);

/*
 * Appends the gzip compression (RFC 1952, no file name, no timestamp) of
 * data[0..len) to `out`. Returns 0, or -1 with a message in `err`.
 */
int akb_gzip(const void *data, size_t len, int level, struct akb_buf *out, struct akb_buf *err);

#endif
