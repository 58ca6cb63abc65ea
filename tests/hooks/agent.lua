-- Reshapes agents: a new name and slug, a computed field, a longer body, a list field.
local util = require("lib.util")
return {
  agent = function(agent)
    if agent.name == "API Designer" then
      agent.name = "API Architect"
      agent.slug = "the-api-architect"
      agent.tools[#agent.tools + 1] = "Grep"
      agent.body = agent.body .. "\n## Added by a hook\n\nHOOK-BODY-MARKER\n"
    end
    agent.shouted = util.shout(agent.name)
    agent.source_path = agent.path
    agent.checks = { agentkb.slugify("Ünïcode Name!"), agentkb.markdown("*hi*") }
    return agent
  end,
}
