-- A module hooks require (tests/hooks/lib/util.lua, found as "lib.util").
local M = {}
function M.shout(s) return s:upper() .. "!" end
return M
