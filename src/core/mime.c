/*
 * mime: one table of the file types a site holds (mime.h).
 */
#include "core/prefix.h"

#include <string.h>
#include <strings.h>

#include "agentkb/mime.h"

static const char *const S_types[][2] = {
	{ ".html", "text/html" }, { ".htm", "text/html" }, { ".css", "text/css" },
	{ ".js", "text/javascript" }, { ".mjs", "text/javascript" }, { ".json", "application/json" },
	{ ".xml", "application/xml" }, { ".txt", "text/plain" }, { ".toml", "text/plain" },
	{ ".md", "text/markdown" }, { ".mdc", "text/markdown" }, { ".svg", "image/svg+xml" },
	{ ".png", "image/png" }, { ".jpg", "image/jpeg" }, { ".jpeg", "image/jpeg" },
	{ ".gif", "image/gif" }, { ".webp", "image/webp" }, { ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" }, { ".gz", "application/gzip" },
};

const char *akb_mime_type(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof(S_types) / sizeof(S_types[0]); i++) {
		size_t m = strlen(S_types[i][0]);
		if (n > m && !strcasecmp(name + n - m, S_types[i][0]))
			return S_types[i][1];
	}
	return "application/octet-stream";
}
