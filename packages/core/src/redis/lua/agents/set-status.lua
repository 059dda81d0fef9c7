--[[
set-status.lua: set an agent's status by hand (prepended: prelude.lua).

KEYS[1]  the agent's hash
KEYS[2]  the agent's lease sorted set
ARGV[1]  now (ms)
ARGV[2]  agent id
ARGV[3]  new status: available | onBreak | loggedOut
ARGV[4]  events channel

Returns 1, or 0 if there is no such agent.

Invariant: becoming Available clears the missed-offer count; the change and
its event happen together.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local now = tonumber(ARGV[1])
set_status(KEYS[1], ARGV[4], ARGV[2], ARGV[3], 'manual', now)
settle(KEYS[1], KEYS[2], ARGV[4], ARGV[2], now)
return 1
