-- Tools matrix: adds a page, "Tools matrix" (tools-matrix/index.html,
-- linked from the navigation), with one row per agent and one column per
-- tool, marking which agents may use which tools. Agents with no `tools`
-- field may use every tool (Claude Code's rule), shown as "all".
local function escape(text)
  return (text:gsub("[|\\`*_%[%]<>]", "\\%0"))
end

return {
  site = function(site)
    local tools, seen = {}, {}
    for _, agent in ipairs(site.agents) do
      for _, tool in ipairs(agent.tools or {}) do
        if not seen[tool] then seen[tool] = true; tools[#tools + 1] = tool end
      end
    end
    table.sort(tools, function(a, b) return a:lower() < b:lower() end)

    local lines = {
      ("%d agents, %d tools. ✓ = the agent lists the tool; *all* = it lists none, so it may use every tool.")
        :format(#site.agents, #tools),
      "",
    }
    local header, rule = { "Agent" }, { "---" }
    for _, tool in ipairs(tools) do
      header[#header + 1] = escape(tool)
      rule[#rule + 1] = ":-:"
    end
    lines[#lines + 1] = "| " .. table.concat(header, " | ") .. " |"
    lines[#lines + 1] = "| " .. table.concat(rule, " | ") .. " |"
    for _, agent in ipairs(site.agents) do
      local has = {}
      for _, tool in ipairs(agent.tools or {}) do has[tool] = true end
      local row = { ("[%s](%s)"):format(escape(agent.name), agent.url) }
      for _, tool in ipairs(tools) do
        row[#row + 1] = agent.tools == nil and "*all*" or (has[tool] and "✓" or "")
      end
      lines[#lines + 1] = "| " .. table.concat(row, " | ") .. " |"
    end

    site.pages[#site.pages + 1] = {
      path = "tools-matrix",
      title = "Tools matrix",
      markdown = table.concat(lines, "\n"),
      nav = true,
    }
  end,
}
