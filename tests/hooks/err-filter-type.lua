return {
  filter = function(agent)
    return "yes"
  end,
}
