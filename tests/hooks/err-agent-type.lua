return {
  agent = function(agent)
    return 42
  end,
}
