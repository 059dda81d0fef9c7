--[[
release.lua: stop counting one call on a destination.

KEYS[1]  the destination's lease sorted set (member: lease id, score: expiry ms)
KEYS[2]  idle hash: destination -> ms when its load last fell to zero
ARGV[1]  now (ms)
ARGV[2]  the lease id to remove
ARGV[3]  the destination (field of the idle hash)

Returns 1 if the lease was still held, 0 if it was already gone.

Invariant: the idle hash records the moment a destination's load reached
zero, which the reserve script uses to prefer whoever has been idle longest.
]]
local now = tonumber(ARGV[1])
local removed = redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if removed == 1 and redis.call('ZCARD', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[2], ARGV[3], now)
end
return removed
