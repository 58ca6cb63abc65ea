/*
 * mime: the content type of a site file by its name, for the two places
 * that say what a file is: `agentkb serve`'s answers and the single-file
 * bundle's data: URLs.
 */
#ifndef AKB_MIME_H
#define AKB_MIME_H

/* The type for `name`'s extension (any case); "application/octet-stream" when unknown. */
const char *akb_mime_type(const char *name);

#endif
