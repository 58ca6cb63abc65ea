return { site = function(site) package.loadlib("libc.so.6", "system") end }
