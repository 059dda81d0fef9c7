-- snapshot: drops expired entries, grants what that frees, then reads the
-- whole queue (the wall-board's view, across every process).
-- KEYS[1..8]: the queue's keys, as in common.lua.
-- ARGV[1] now (ms)      ARGV[2] grant channel prefix
-- Returns {max or false, {item, grantedAt, ...} holders, {item, score,
-- enqueuedAt, ...} waiters in serving order}.
-- Keeps: the common invariants. Cost grows with the line (it returns all of it).
local now = ARGV[1]
reclaim(now)
grant(now, ARGV[2])
local holders = {}
for _, item in ipairs(redis.call('SMEMBERS', KEYS[4])) do
  local _, _, _, granted_at = entry_fields(redis.call('HGET', KEYS[5], item))
  holders[#holders + 1] = item
  holders[#holders + 1] = granted_at
end
local waiters = {}
local line = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = 1, #line, 2 do
  local _, _, enqueued_at = entry_fields(redis.call('HGET', KEYS[5], line[i]))
  waiters[#waiters + 1] = line[i]
  waiters[#waiters + 1] = line[i + 1]
  waiters[#waiters + 1] = enqueued_at
end
return {redis.call('HGET', KEYS[1], 'max'), holders, waiters}
