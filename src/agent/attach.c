/*
 * attach: the files that come with an agent (a skill's folder), copied into
 * the site and packed as one .tar.gz to install (see attach.h).
 */
#include "core/prefix.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "agentkb/archive.h"
#include "agentkb/attach.h"
#include "agentkb/buf.h"
#include "agentkb/format.h"
#include "agentkb/url.h"

/* Length of rel's folder part ("a/b" of "a/b/SKILL.md"; 0 at the root). */
static size_t S_folder_len(const char *rel)
{
	const char *slash = strrchr(rel, '/');
	return slash ? (size_t)(slash - rel) : 0;
}

void akb_attach_collect(struct akb_input_list *inputs, struct akb_site *site)
{
	for (size_t j = 0; j < inputs->len; j++) {
		struct akb_input *in = &inputs->items[j];
		if (!in->attached)
			continue;
		/* The innermost skill folder holding the file. */
		size_t best = SIZE_MAX, best_len = 0;
		for (size_t i = 0; i < site->nagents; i++) {
			const struct akb_agent *a = &site->agents[i];
			if (a->format != AKB_FORMAT_SKILL)
				continue;
			size_t n = S_folder_len(a->rel);
			int inside = n == 0 || (!strncmp(in->rel, a->rel, n) && in->rel[n] == '/');
			if (inside && (best == SIZE_MAX || n > best_len)) {
				best = i;
				best_len = n;
			}
		}
		if (best == SIZE_MAX)
			continue; /* its SKILL.md did not load: the report says so */
		struct akb_agent *a = &site->agents[best];
		in->attached_to = best;
		struct stat st;
		a->files = akb_xrealloc(a->files, akb_xmul(a->nfiles + 1, sizeof(*a->files)));
		a->files[a->nfiles].path = akb_xstrdup(in->rel + (best_len ? best_len + 1 : 0));
		a->files[a->nfiles].size = stat(in->path, &st) == 0 ? (long long)st.st_size : 0;
		a->nfiles++;
	}
}

void akb_attach_url(const char *path, struct akb_buf *out)
{
	akb_buf_puts(out, "files/");
	akb_url_put_path(out, path, strlen(path));
}

/* The agent's folder on disk: its file's path less the file name. */
static void S_disk_folder(const struct akb_agent *a, struct akb_buf *out)
{
	size_t n = S_folder_len(a->path);
	if (n)
		akb_buf_put(out, a->path, n);
	else
		akb_buf_putc(out, '.');
}

int akb_attach_write(const struct akb_site *site, struct akb_output *out, long long mtime, struct akb_diag *diag)
{
	int rc = 0;
	struct akb_buf dir = AKB_BUF_INIT, src = AKB_BUF_INIT, dst = AKB_BUF_INIT;
	for (size_t k = 0; k < site->norder && !rc; k++) {
		const struct akb_agent *a = &site->agents[site->order[k]];
		if (!a->nfiles)
			continue;
		akb_buf_clear(&dir);
		S_disk_folder(a, &dir);
		const char **paths = akb_xmalloc(akb_xmul(a->nfiles + 1, sizeof(char *)));
		paths[0] = "SKILL.md";
		for (size_t i = 0; i < a->nfiles && !rc; i++) {
			paths[i + 1] = a->files[i].path;
			akb_buf_clear(&src);
			akb_buf_printf(&src, "%s/%s", dir.ptr, a->files[i].path);
			akb_buf_clear(&dst);
			akb_buf_printf(&dst, "agents/%s/files/%s", a->slug, a->files[i].path);
			rc = akb_output_copy(out, dst.ptr, src.ptr, diag);
		}
		/* The folder as the harness wants it: <slug>/SKILL.md, <slug>/scripts/... */
		if (!rc) {
			akb_buf_clear(&src);
			akb_buf_printf(&src, "agents/%s/%s.tar.gz", a->slug, a->slug);
			rc = akb_output_staging_path(out, src.ptr, &dst, diag);
			if (!rc)
				rc = akb_archive_write(dst.ptr, AKB_ARCHIVE_TAR_GZ, dir.ptr, paths, a->nfiles + 1, a->slug,
						       mtime, diag);
			if (!rc)
				rc = akb_output_adopt(out, src.ptr, diag);
		}
		free(paths);
	}
	akb_buf_release(&dir);
	akb_buf_release(&src);
	akb_buf_release(&dst);
	return rc;
}
