__akbSearchLoad("d",0,[
["api-reviewer","agents/api-reviewer/index.html","engineering","engineering-architecture","sonnet","Reviews HTTP APIs for consistency. · API Reviewer · Checklist Checks naming, status codes and legacy pagination. Nouns for resources Idempotent PUT Method Use GET read Raw <b>HTML<\/b> stays text. A footnote.",""],
["notes","agents/notes/index.html","","","","Plain notes with no front-matter and no heading.",""],
["慢查询分析师","agents/慢查询分析师/index.html","data","data-analytics","opus","当用户讨论慢查询、索引和缓存时自动触发 · 1. 架构分析和设计 · 2. 缓存策略 分析执行计划。 使用 Redis。",""]]);
