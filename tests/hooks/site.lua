-- Reverses the order, drops Loner, adds a taxonomy and two pages.
return {
  site = function(site)
    local kept = {}
    for i = #site.agents, 1, -1 do
      local a = site.agents[i]
      if a.name ~= "Loner" then kept[#kept + 1] = a end
      if a.name == "ETL Engineer" then a.body = a.body .. "\nSITE-BODY-MARKER\n" end
    end
    site.agents = kept
    site.taxonomies[#site.taxonomies + 1] = "priority"
    local links = {}
    for _, a in ipairs(site.agents) do links[#links + 1] = ("- [%s](%s)"):format(a.name, a.url) end
    site.pages[#site.pages + 1] = {
      path = "guide/intro", title = "Guide", nav = true,
      markdown = "Intro text.\n\n" .. table.concat(links, "\n") .. "\n\n[home](index.html) [departments](departments/)",
    }
    site.pages[#site.pages + 1] = {
      path = "stats.html", title = "Stats", template = "tests/hooks/page.mustache",
      data = { rows = { { name = "agents", count = #site.agents } } },
    }
    agentkb.write("extra/notes.txt", "written by a hook\n")
  end,
}
