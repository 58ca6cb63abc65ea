return { site = function(site) io.open("tests/hooks/x.txt", "w") end }
