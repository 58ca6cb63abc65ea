return { site = function(site) assert(load(string.dump(function() end))) end }
