--[[
channel.lua: a call on an agent's phone started or ended (prepended: prelude.lua).

KEYS[1]  the agent's hash
KEYS[2]  the agent's lease sorted set
ARGV[1]  now (ms)
ARGV[2]  agent id
ARGV[3]  uuid of the channel
ARGV[4]  '1' if it is up, '0' if it has gone
ARGV[5]  lease length (ms)
ARGV[6]  events channel

Returns {lease member added ('' if none), wrapUpUntil set ('' if none)}, or
{} if there is no such agent.

Invariant: a ring group's own leg (r:/d: lease) is never counted again as an
o: call; when a delivered call ends, wrap-up runs until now + wrapUpMs.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
local now = tonumber(ARGV[1])
local uuid = ARGV[3]
local added, wrap_up_until = '', ''
if ARGV[4] == '1' then
  if not redis.call('ZSCORE', KEYS[2], 'r:' .. uuid) and not redis.call('ZSCORE', KEYS[2], 'd:' .. uuid) then
    added = 'o:' .. uuid
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), added)
  end
else
  redis.call('ZREM', KEYS[2], 'o:' .. uuid)
  if redis.call('ZREM', KEYS[2], 'd:' .. uuid) == 1 then
    local wrap_up = tonumber(redis.call('HGET', KEYS[1], 'wrapUpMs')) or 0
    if wrap_up > 0 then
      wrap_up_until = now + wrap_up
      redis.call('HSET', KEYS[1], 'wrapUpUntil', wrap_up_until)
    end
  end
end
settle(KEYS[1], KEYS[2], ARGV[6], ARGV[2], now)
return { added, tostring(wrap_up_until) }
