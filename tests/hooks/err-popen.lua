return { site = function(site) io.popen("ls") end }
