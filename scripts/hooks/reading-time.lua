-- Reading time: adds a `reading_time` field ("4 min read"), shown in the
-- agent page's metadata table. Words are counted in the body's prose and
-- code; CJK text is counted by characters (about 2 per word), so Chinese
-- agents get a sensible figure too.
local WORDS_PER_MINUTE = 220

local function words(text)
  local n = 0
  for _ in text:gmatch("[%w_']+") do n = n + 1 end
  -- Each CJK character is 3 bytes in UTF-8 (U+3000..U+9FFF): count two per word.
  local cjk = 0
  for _ in text:gmatch("[\227-\233][\128-\191][\128-\191]") do cjk = cjk + 1 end
  return n + cjk // 2
end

return {
  agent = function(agent)
    local minutes = math.max(1, math.ceil(words(agent.body) / WORDS_PER_MINUTE))
    agent.reading_time = minutes .. " min read"
    return agent
  end,
}
