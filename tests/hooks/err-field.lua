return {
  agent = function(agent)
    agent.callback = function() end
  end,
}
