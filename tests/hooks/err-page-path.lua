return { site = function(site) site.pages[1] = { path = "../escape", title = "x", markdown = "x" } end }
