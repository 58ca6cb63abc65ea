return { site = function(site) io.open("/etc/passwd") end }
