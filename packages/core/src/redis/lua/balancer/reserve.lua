--[[
reserve.lua: pick the least busy of some destinations and count one
call on it, in one step.

KEYS[1]    idle hash: destination -> ms when its load last fell to zero
KEYS[2]    round-robin turn counter (integer string)
KEYS[3..n] lease sorted set of each candidate (member: lease id, score: expiry ms)
ARGV[1]    now (ms)
ARGV[2]    lease length (ms)
ARGV[3]    id of the new lease
ARGV[4..]  the candidate destinations, in the same order as KEYS[3..n]

Returns { 1-based index of the chosen candidate, its load before this call }.

Invariant: a destination's load is the number of unexpired leases in its set.
Expired leases (their worker died) are dropped here before counting, and the
pick and the new lease happen together, so two workers never both take the
same idle destination. Order: least load, then idle longest (never used = 0),
then the turn-th of those still tied (the turn advances only on such ties).
]]
local now = tonumber(ARGV[1])
local lease_ms = tonumber(ARGV[2])
local best_load, best_idle
local ties = {}

for i = 3, #KEYS do
  local key = KEYS[i]
  local destination = ARGV[i + 1]
  local expired = redis.call('ZRANGEBYSCORE', key, '-inf', now, 'WITHSCORES')
  if #expired > 0 then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
    if redis.call('ZCARD', key) == 0 then
      -- scores come in ascending order: the last is when the load reached zero
      redis.call('HSET', KEYS[1], destination, expired[#expired])
    end
  end
  local load = redis.call('ZCARD', key)
  local idle = tonumber(redis.call('HGET', KEYS[1], destination)) or 0
  if best_load == nil or load < best_load or (load == best_load and idle < best_idle) then
    best_load, best_idle = load, idle
    ties = { i }
  elseif load == best_load and idle == best_idle then
    ties[#ties + 1] = i
  end
end

local chosen = ties[1]
if #ties > 1 then
  local turn = redis.call('INCR', KEYS[2]) - 1
  chosen = ties[(turn % #ties) + 1]
end
redis.call('ZADD', KEYS[chosen], now + lease_ms, ARGV[3])
return { chosen - 2, best_load }
