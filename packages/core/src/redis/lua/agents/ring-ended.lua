--[[
ring-ended.lua: end an offer made by claim.lua (prepended: prelude.lua).

KEYS[1]  the agent's hash
KEYS[2]  the agent's lease sorted set
ARGV[1]  now (ms)
ARGV[2]  agent id
ARGV[3]  uuid of the leg
ARGV[4]  result: answered | missed | released
ARGV[5]  lease length (ms)
ARGV[6]  events channel

Returns 1, or 0 if there is no such agent.

Invariant: an answered offer becomes a d: lease (the agent is in a call) and
clears the missed count; after maxNoAnswer missed offers in a row an
Available agent goes On break (reason maxNoAnswer), in the same step.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local now = tonumber(ARGV[1])
local id, uuid, result = ARGV[2], ARGV[3], ARGV[4]
redis.call('ZREM', KEYS[2], 'r:' .. uuid)
if result == 'answered' then
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), 'd:' .. uuid)
  redis.call('HSET', KEYS[1], 'noAnswerCount', 0)
elseif result == 'missed' then
  redis.call('HINCRBY', KEYS[1], 'noAnswerCount', 1)
end
settle(KEYS[1], KEYS[2], ARGV[6], id, now)
local max = tonumber(redis.call('HGET', KEYS[1], 'maxNoAnswer')) or 0
local missed = tonumber(redis.call('HGET', KEYS[1], 'noAnswerCount')) or 0
if max > 0 and missed >= max and redis.call('HGET', KEYS[1], 'status') == 'available' then
  set_status(KEYS[1], ARGV[6], id, 'onBreak', 'maxNoAnswer', now)
end
return 1
