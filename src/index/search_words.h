/*
 * search_words: the word tables of the search index. The built-in synonym
 * groups (common engineering terms in English and Chinese) and the names a
 * code fence's language stands for.
 */
#ifndef AKB_SEARCH_WORDS_H
#define AKB_SEARCH_WORDS_H

#include <stddef.h>

/*
 * The built-in synonym groups: a NULL-terminated list of groups, each its
 * words or phrases joined by '|' ("机器学习|machine learning|ml").
 */
extern const char *const akb_builtin_synonyms[];

/*
 * Calls `fn` with each common name of code-fence language `lang` (any case):
 * "ts" gives "typescript", "postgresql" gives "sql" and "postgres". The
 * language itself is not repeated. Returns the number of names given.
 */
typedef void (*akb_word_fn)(void *ctx, const char *word);
size_t akb_code_lang_names(const char *lang, size_t len, akb_word_fn fn, void *ctx);

#endif
