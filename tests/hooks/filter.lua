-- Drops the agents whose name starts with "U".
return {
  filter = function(agent) return agent.name:sub(1, 1) ~= "U" end,
}
