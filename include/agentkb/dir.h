/*
 * dir: a folder's entries as a sorted list of names, for the stages that
 * walk folders (walk, check --links) and must see them in the same order on
 * every file system and locale.
 */
#ifndef AKB_DIR_H
#define AKB_DIR_H

#include <stddef.h>

/*
 * The names in the folder at `path` but "." and "..", those `keep` accepts
 * (all when it is NULL), in byte order: a NULL-terminated array the caller
 * frees with akb_dir_names_free. NULL if the folder cannot be read (errno
 * says why).
 */
char **akb_dir_names(const char *path, int (*keep)(const char *name), size_t *count);
void akb_dir_names_free(char **names);

#endif
