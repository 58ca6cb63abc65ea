/*
 * value: a small dynamic value tree (null, bool, number, string, list, map).
 *
 * It is the one data model that flows between stages: front-matter fields,
 * template contexts, hook tables and agents.json all use it. A value owns
 * everything below it; akb_value_release() frees the whole tree. Maps keep
 * their keys in insertion order (front-matter order is shown to users).
 */
#ifndef AKB_VALUE_H
#define AKB_VALUE_H

#include <stddef.h>

enum akb_kind {
	AKB_NULL = 0,
	AKB_BOOL,
	AKB_NUMBER,
	AKB_STRING,
	AKB_LIST,
	AKB_MAP,
};

struct akb_pair;

struct akb_value {
	enum akb_kind kind;
	union {
		int boolean;
		double number;
		struct {
			char *ptr; /* NUL-terminated; may contain NULs before len */
			size_t len;
		} str;
		struct {
			struct akb_value *items;
			size_t len, cap;
		} list;
		struct {
			struct akb_pair *items;
			size_t len, cap;
		} map;
	} u;
	unsigned line, col; /* where the value starts in its file (1-based); 0 when not read from one */
};

struct akb_pair {
	char *key; /* NUL-terminated; from akb_value_key, freed with akb_value_free_key */
	struct akb_value value;
	unsigned line, col; /* where the key is in its file (1-based); 0 when not read from one */
};

#define AKB_VALUE_NULL { AKB_NULL, { 0 }, 0, 0 }

/*
 * A map key: a common one (name, url, summary, …) is shared for the whole
 * process, any other a copy of key[0..len). Free it with akb_value_free_key.
 */
char *akb_value_key(const char *key, size_t len);
void akb_value_free_key(char *key);
/* The i-th shared key in their order, or NULL past the last (tests). */
const char *akb_value_static_key(size_t i);

/* Frees everything the value owns and resets it to null. */
void akb_value_release(struct akb_value *v);
/*
 * Appends a canonical binary form of `v` (kinds, lengths and bytes; map keys
 * in their order, positions left out): two values have the same form only
 * when they are equal, and it is cheap to make (page keys, render.c).
 */
struct akb_buf;
void akb_value_put_canonical(const struct akb_value *v, struct akb_buf *out);
/*
 * The same, but each map is first offered to `stand_in`, which may append
 * something shorter that tells it apart (a digest of a map shared by many
 * pages, tagged so that it cannot be read as any other form) and return 1;
 * 0 writes the map as usual.
 */
typedef int (*akb_canonical_stand_in)(void *ctx, const struct akb_value *map, struct akb_buf *out);
void akb_value_put_canonical_with(const struct akb_value *v, struct akb_buf *out, akb_canonical_stand_in stand_in,
				  void *ctx);
/*
 * A value with its file positions as bytes and back (the load cache):
 * decoding reads from *p, not past `end`, into `v` (a null value before),
 * moves *p on and returns 0; -1 when the bytes are not an encoding (`v` is
 * then released) or nest deeper than `depth`.
 */
void akb_value_encode(const struct akb_value *v, struct akb_buf *out);
int akb_value_decode(const char **p, const char *end, struct akb_value *v, int depth);

void akb_value_set_null(struct akb_value *v);
void akb_value_set_bool(struct akb_value *v, int b);
void akb_value_set_number(struct akb_value *v, double n);
/* Copies `len` bytes of `s`. */
void akb_value_set_string(struct akb_value *v, const char *s, size_t len);
void akb_value_set_cstr(struct akb_value *v, const char *s);
/* Takes ownership of `s` (malloc'd, NUL-terminated at len). */
void akb_value_take_string(struct akb_value *v, char *s, size_t len);
void akb_value_set_list(struct akb_value *v);
void akb_value_set_map(struct akb_value *v);

/* Appends a null item to a list and returns it for the caller to fill. */
struct akb_value *akb_list_push(struct akb_value *list);
/*
 * Appends `item` itself, not a copy: the list shares its strings, lists and
 * maps. For read-only contexts made of values that outlive them (the cards
 * a term page lists): nothing may change the item through the list, and
 * akb_list_disown must empty the list before it is released.
 */
void akb_list_borrow(struct akb_value *list, const struct akb_value *item);
/* Forgets a list's items without freeing them (they were borrowed). */
void akb_list_disown(struct akb_value *list);

/*
 * Returns the value stored under `key`, or NULL. Linear scan: maps here are
 * small (front-matter, template contexts).
 */
struct akb_value *akb_map_get(const struct akb_value *map, const char *key);
/*
 * Returns the value under `key`, creating a null entry at the end if absent;
 * an existing value is kept (call akb_value_release to replace it).
 */
struct akb_value *akb_map_put(struct akb_value *map, const char *key);
/* akb_map_put, giving the pair (to set its position); NULL if `map` is not a map. */
struct akb_pair *akb_map_put_pair(struct akb_value *map, const char *key);
/* Removes `key` if present; returns 1 if it was there. */
int akb_map_remove(struct akb_value *map, const char *key);

/* Convenience setters that replace any existing value under `key`. */
void akb_map_set_cstr(struct akb_value *map, const char *key, const char *s);
void akb_map_set_string(struct akb_value *map, const char *key, const char *s, size_t len);
void akb_map_set_bool(struct akb_value *map, const char *key, int b);
void akb_map_set_number(struct akb_value *map, const char *key, double n);
/* Returns the (emptied) list or map now stored under `key`. */
struct akb_value *akb_map_set_list(struct akb_value *map, const char *key);
struct akb_value *akb_map_set_map(struct akb_value *map, const char *key);

/* The string under `key`, or NULL if absent or not a string. */
const char *akb_map_get_cstr(const struct akb_value *map, const char *key);

/* Deep copy of `src` into `dst` (dst is overwritten, not released), positions included. */
void akb_value_copy(struct akb_value *dst, const struct akb_value *src);
/*
 * Gives back the room lists and maps grew into but do not use, all the way
 * down: for values a build keeps for long (each agent's card).
 */
void akb_value_shrink(struct akb_value *v);

/*
 * Mustache truthiness: null, false, empty list and empty string are false.
 * (Mustache treats "" as truthy in some implementations; the spec leaves it
 * open, and an empty field should hide its section in our templates.)
 */
int akb_value_truthy(const struct akb_value *v);

/*
 * Appends the value's text form: strings as-is, numbers in shortest form
 * (1.21, 85), booleans as true/false, null as nothing. Lists and maps append
 * nothing.
 */
struct akb_buf;
void akb_value_to_text(const struct akb_value *v, struct akb_buf *out);

/*
 * Appends `v` as one line of display text: lists joined by ", ", maps as
 * "key: value; key: value", scalars as akb_value_to_text writes them.
 */
void akb_value_join_text(const struct akb_value *v, struct akb_buf *out);

#endif
