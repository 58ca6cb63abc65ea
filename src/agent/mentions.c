/*
 * mentions: which agent names a text mentions (see mentions.h).
 */
#include "core/prefix.h"

#include <string.h>
#include <strings.h>

#include "agentkb/mentions.h"

static int S_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Is the word before `at` (skipping spaces) `word`, any case? */
static int S_word_before(const char *text, const char *at, const char *word)
{
	const char *e = at;
	while (e > text && (e[-1] == ' ' || e[-1] == '`' || e[-1] == '*'))
		e--;
	const char *b = e;
	while (b > text && S_word_char((unsigned char)b[-1]))
		b--;
	size_t n = strlen(word);
	return (size_t)(e - b) == n && !strncasecmp(b, word, n);
}

/* Is the word after `at` one of agent, subagent, sub-agent (any case)? */
static int S_agent_after(const char *at, const char *end)
{
	while (at < end && (*at == ' ' || *at == '`' || *at == '*'))
		at++;
	const char *e = at;
	while (e < end && S_word_char((unsigned char)*e))
		e++;
	size_t n = (size_t)(e - at);
	return (n == 5 && !strncasecmp(at, "agent", 5)) || (n == 8 && !strncasecmp(at, "subagent", 8)) ||
	       (n == 9 && !strncasecmp(at, "sub-agent", 9)) || (n == 6 && !strncasecmp(at, "agents", 6));
}

void akb_mentions(const char *text, size_t len, akb_mention_fn fn, void *ctx)
{
	struct akb_buf word = AKB_BUF_INIT;
	const char *end = text + len;
	for (const char *p = text; p < end;) {
		if (!S_word_char((unsigned char)*p)) {
			p++;
			continue;
		}
		const char *b = p;
		while (p < end && S_word_char((unsigned char)*p))
			p++;
		const char *e = p;
		while (b < e && (*b == '-' || *b == '_'))
			b++;
		while (e > b && (e[-1] == '-' || e[-1] == '_'))
			e--;
		if (b >= e)
			continue;
		/* Most words: no hyphen, no @ or ` before them, so no name (below); not even lowered. */
		if ((b == text || (b[-1] != '@' && b[-1] != '`')) && !memchr(b, '-', (size_t)(e - b)))
			continue;
		/* Claude Code's mention is @agent-NAME; a bare @word is a decorator or a package scope. */
		akb_buf_clear(&word);
		for (const char *c = b; c < e; c++)
			akb_buf_putc(&word, *c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		const char *name = word.ptr;
		int at = b > text && b[-1] == '@' && !strncmp(name, "agent-", 6) && name[6];
		if (at)
			name += 6;
		int hyphen = strchr(name, '-') != NULL;
		/* "the next agent" is English: "the X agent" names one when X has a hyphen or is `code`. */
		int code = b > text && b[-1] == '`' && p < end && *p == '`';
		int explicit_mention = at || ((hyphen || code) && S_word_before(text, b, "the") && S_agent_after(p, end));
		/* A word of the text is a name only with a hyphen, or said to be one. */
		if (explicit_mention || hyphen)
			fn(ctx, name, (size_t)(b - text), explicit_mention);
	}
	akb_buf_release(&word);
}

