-- Keep one department: publish only the agents of AGENTKB_DEPARTMENT
-- (default "engineering"). The comparison ignores case. Dropped agents are
-- listed in the build report with this hook's name.
--
--   AGENTKB_DEPARTMENT=data agentkb build --hook scripts/hooks/keep-department.lua
--
-- (For a fixed department, `--department data` does the same without Lua.)
local keep = (os.getenv("AGENTKB_DEPARTMENT") or "engineering"):lower()

return {
  filter = function(agent)
    return type(agent.department) == "string" and agent.department:lower() == keep
  end,
}
