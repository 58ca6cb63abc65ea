-- The agentkb module: config, log, reading files under the site root.
return {
  filter = function(agent)
    if agent.name == "Loner" then agentkb.log.warn("no department here") end
    return true
  end,
  site = function(site)
    local f = assert(io.open("tests/hooks/data.txt"))
    local text = f:read("a")
    f:close()
    agentkb.log.info("title=" .. agentkb.config.title .. " read=" .. text:gsub("\n", ""))
  end,
}
