/* Included first by every .c file: feature macros must precede system headers. */
#ifndef AKB_PREFIX_H
#define AKB_PREFIX_H
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1 /* DT_* constants, realpath, strcasecmp */
#endif
#endif
