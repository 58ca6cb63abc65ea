return {
  filter = function(agent)
    return agent.x ==
  end,
}
