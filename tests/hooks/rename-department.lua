-- Prefixes every department, so a test can show that shortcut filters see what hooks set.
return {
  agent = function(agent)
    if agent.department then agent.department = "Team " .. agent.department end
    return agent
  end,
}
