/*
 * fuzz: what the fuzz targets (tests/fuzz/fuzz_*.c) share. Each target is
 * one LLVMFuzzerTestOneInput over a public entry point; clang's libFuzzer
 * drives it (make fuzz) and tests/fuzz/replay.c replays saved inputs with
 * the ordinary compiler (make test, make asan).
 *
 * Inputs that feed several texts to one entry point hold them separated by
 * FZ_SEP bytes: one byte the fuzzer inserts and removes easily, and that
 * real text never holds.
 */
#ifndef AKB_FUZZ_H
#define AKB_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#define FZ_SEP '\x01'

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

struct fz_part {
	const char *p;
	size_t len;
};

/*
 * Splits data[0..size) at FZ_SEP into at most `max` parts (the last one
 * takes the rest, separators included). Returns how many; always >= 1.
 */
size_t fz_split(const uint8_t *data, size_t size, struct fz_part *parts, size_t max);

/* A malloc'd copy of p[0..len) with a NUL after it (the entry points want one). */
char *fz_cstr(const char *p, size_t len);

/*
 * A private temporary folder for targets that read a site from disk,
 * made once per process and removed at exit. fz_write creates `rel`
 * (folders included) in it; fz_clear empties it.
 */
const char *fz_dir(void);
void fz_write(const char *rel, const char *p, size_t len);
void fz_clear(void);

#endif
