return { site = function(site) site.agents[#site.agents + 1] = { name = "Impostor" } end }
