--[[
settle.lua: bring an agent's stored state up to date with the clock
(wrap-up over, leases of a dead worker expired) (prepended: prelude.lua).

KEYS[1]  the agent's hash
KEYS[2]  the agent's lease sorted set
ARGV[1]  now (ms)
ARGV[2]  agent id
ARGV[3]  events channel

Returns the state, or '' if there is no such agent.

Invariant: the stored state equals the derived one, and each change was published.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return '' end
return settle(KEYS[1], KEYS[2], ARGV[3], ARGV[2], tonumber(ARGV[1]))
