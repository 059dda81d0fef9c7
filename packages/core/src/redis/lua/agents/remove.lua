--[[
remove.lua: forget an agent.

KEYS[1]  set of agent ids
KEYS[2]  contacts hash: contact -> agent id
KEYS[3]  the agent's hash
KEYS[4]  the agent's lease sorted set
ARGV[1]  agent id

Returns 1 if the agent existed, 0 otherwise.

Invariant: no contact points at an agent that no longer exists.
]]
local contact = redis.call('HGET', KEYS[3], 'contact')
if contact and redis.call('HGET', KEYS[2], contact) == ARGV[1] then
  redis.call('HDEL', KEYS[2], contact)
end
redis.call('DEL', KEYS[4])
redis.call('SREM', KEYS[1], ARGV[1])
return redis.call('DEL', KEYS[3])
