return { site = function(site) require("lfs") end }
