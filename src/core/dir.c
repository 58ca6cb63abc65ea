/*
 * dir: reading a folder into a sorted list of names (dir.h).
 */
#include "core/prefix.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agentkb/buf.h"
#include "agentkb/dir.h"

static int S_by_bytes(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

char **akb_dir_names(const char *path, int (*keep)(const char *name), size_t *count)
{
	DIR *d = opendir(path);
	if (!d)
		return NULL;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || (keep && !keep(e->d_name)))
			continue;
		names = akb_xgrow(names, n + 1, &cap, 32, sizeof(*names)); /* and room for the NULL */
		names[n++] = akb_xstrdup(e->d_name);
	}
	int err = errno;
	closedir(d);
	errno = err;
	if (!names)
		names = akb_xcalloc(1, sizeof(*names));
	names[n] = NULL;
	/* Byte-wise order: deterministic across file systems and locales. */
	qsort(names, n, sizeof(*names), S_by_bytes);
	*count = n;
	return names;
}

void akb_dir_names_free(char **names)
{
	for (char **p = names; p && *p; p++)
		free(*p);
	free(names);
}
