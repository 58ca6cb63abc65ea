/*
 * mentions: which agent names a text mentions, for the delegation graph
 * (graph.h) and lint's unknown-agent rule: a word with a hyphen
 * ("code-reviewer"), Claude Code's @agent-NAME, or a word the text says is
 * an agent ("the `planner` agent"). Load notes a body's mentions once
 * (agent.h), so no later stage reads the body again for them.
 */
#ifndef AKB_MENTIONS_H
#define AKB_MENTIONS_H

#include <stddef.h>

#include "agentkb/buf.h"

/*
 * Calls `fn` for each agent name `text` mentions: the name (lowercase, NUL-
 * terminated), its byte offset in text, and whether the mention is explicit.
 */
typedef void (*akb_mention_fn)(void *ctx, const char *name, size_t offset, int explicit_mention);
void akb_mentions(const char *text, size_t len, akb_mention_fn fn, void *ctx);

#endif
