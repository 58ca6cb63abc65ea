/*
 * language: which human language an agent is written in, for the
 * `language` taxonomy and the links between an agent and its translation.
 * A guess from the letters (Han, kana, Hangul, Latin) and, for Latin text,
 * the commonest short words; good enough to tell 中文 from English.
 */
#ifndef AKB_LANGUAGE_H
#define AKB_LANGUAGE_H

#include <stddef.h>

/*
 * The language of `text` as its own name ("English", "中文", "日本語",
 * "한국어", "Deutsch", "Français", "Español", "Português"), or NULL when the
 * text has too few letters to tell. The string is static.
 */
const char *akb_language_detect(const char *text, size_t len);

/* The BCP 47 tag of a name akb_language_detect gives ("中文" -> "zh"), or NULL. */
const char *akb_language_tag(const char *name);
/* akb_language_detect's static string for `name` (a name it gives), or NULL. */
const char *akb_language_named(const char *name, size_t len);

#endif
