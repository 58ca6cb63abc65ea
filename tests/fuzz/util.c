/* util: the helpers of fuzz.h, linked into every fuzz target and replay binary. */
#include "core/prefix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agentkb/buf.h"
#include "agentkb/output.h"
#include "fuzz.h"

size_t fz_split(const uint8_t *data, size_t size, struct fz_part *parts, size_t max)
{
	size_t n = 0, start = 0;
	for (size_t i = 0; i < size && n + 1 < max; i++) {
		if (data[i] == (uint8_t)FZ_SEP) {
			parts[n].p = (const char *)data + start;
			parts[n++].len = i - start;
			start = i + 1;
		}
	}
	parts[n].p = (const char *)data + start;
	parts[n++].len = size - start;
	return n;
}

char *fz_cstr(const char *p, size_t len)
{
	char *s = akb_xmalloc(len + 1);
	if (len)
		memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

static char *S_dir;

static void S_remove_dir(void)
{
	if (S_dir) {
		akb_remove_tree(S_dir);
		free(S_dir);
		S_dir = NULL;
	}
}

const char *fz_dir(void)
{
	if (!S_dir) {
		const char *tmp = getenv("TMPDIR");
		struct akb_buf b = AKB_BUF_INIT;
		akb_buf_printf(&b, "%s/akb-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(b.ptr)) {
			perror(b.ptr);
			abort();
		}
		S_dir = akb_buf_detach(&b, NULL);
		atexit(S_remove_dir);
	}
	return S_dir;
}

void fz_write(const char *rel, const char *p, size_t len)
{
	struct akb_buf path = AKB_BUF_INIT;
	akb_buf_printf(&path, "%s/%s", fz_dir(), rel);
	/* Folders on the way, as mkdir -p would. */
	for (char *s = path.ptr + strlen(fz_dir()) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(path.ptr, 0700);
		*s = '/';
	}
	FILE *f = fopen(path.ptr, "wb");
	if (!f || (len && fwrite(p, 1, len, f) != len) || fclose(f) != 0) {
		perror(path.ptr);
		abort();
	}
	akb_buf_release(&path);
}

void fz_clear(void)
{
	const char *d = fz_dir();
	akb_remove_tree(d);
	if (mkdir(d, 0700) != 0) {
		perror(d);
		abort();
	}
}
