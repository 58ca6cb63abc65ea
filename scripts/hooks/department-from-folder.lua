-- Department from the top-level folder: for collections laid out as
-- <department>/<agent>.md (../shared/corpora/agency-agents, for example),
-- an agent without a `department` gets the name of its first folder,
-- "game-development" becoming "Game Development". Files at the top level
-- keep what they have.
local function title_case(folder)
  local words = {}
  for word in folder:gmatch("[^-_ ]+") do
    words[#words + 1] = word:sub(1, 1):upper() .. word:sub(2)
  end
  return table.concat(words, " ")
end

return {
  agent = function(agent)
    local folder = agent.path:match("^([^/]+)/")
    if folder and (agent.department == nil or agent.department == "") then
      agent.department = title_case(folder)
    end
    return agent
  end,
}
