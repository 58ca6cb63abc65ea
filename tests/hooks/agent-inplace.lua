-- agent() may change the table in place and return nothing.
return {
  agent = function(agent) agent.inplace = "yes" end,
}
