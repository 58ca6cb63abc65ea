return { filtr = function() return true end }
