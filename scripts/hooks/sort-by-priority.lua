-- Sort by priority: agents with `priority: high` come first, then medium,
-- then low, then those without one; ties keep their order (by name).
-- The order is used by the home page within each group, by term pages and
-- by agents.json.
local RANK = { critical = 0, high = 1, medium = 2, low = 3 }

local function rank(agent)
  local p = agent.priority
  if type(p) == "number" then return p end
  return RANK[type(p) == "string" and p:lower() or ""] or 9
end

return {
  site = function(site)
    local position = {}
    for i, agent in ipairs(site.agents) do position[agent] = i end
    table.sort(site.agents, function(a, b)
      local ra, rb = rank(a), rank(b)
      if ra ~= rb then return ra < rb end
      return position[a] < position[b]
    end)
  end,
}
