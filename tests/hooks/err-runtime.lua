local function helper(agent)
  return agent.meta.deep
end
return {
  agent = function(agent)
    helper(agent)
  end,
}
