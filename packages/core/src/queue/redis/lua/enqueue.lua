-- enqueue: puts an entry in a queue's line, or straight into a slot if the
-- line is empty and a slot is free.
-- KEYS[1..6]: the queue's keys, as in common.lua.
-- ARGV[1] now (ms)             ARGV[2] grant channel prefix
-- ARGV[3] item id              ARGV[4] owner (the enqueuing process's id)
-- ARGV[5] ticket (owner-local id of this entry; what a grant message carries)
-- ARGV[6] priority (integer 0..999, lower first)
-- ARGV[7] maxConcurrent to record if the queue has no limit yet (first use wins)
-- ARGV[8] maxWaiting (-1: no limit)
-- ARGV[9] lease expiry of the new entry (ms)
-- ARGV[10] when the caller asked to join (ms): the entry's enqueuedAt (default: now)
-- Returns {1} granted at once, {0, position} waiting (1-based), {-1} the item
-- is already in this queue, {-2} it would wait and the line is full. When it
-- refuses, nothing is written but the first-use limit.
-- Keeps: the common invariants; order is (priority, arrival) because seq only grows.
local now = ARGV[1]
redis.call('HSETNX', KEYS[1], 'max', ARGV[7])
local max = tonumber(redis.call('HGET', KEYS[1], 'max'))
if reclaim(now) > 0 then grant(now, ARGV[2], max) end
local item = ARGV[3]
local waiting = redis.call('ZCARD', KEYS[2])
-- Nobody overtakes a waiter: a free slot is taken at once only with nobody in line.
local at_once = waiting == 0 and redis.call('SCARD', KEYS[4]) < max
local max_waiting = tonumber(ARGV[8])
if not at_once and max_waiting >= 0 and waiting >= max_waiting then return {-2} end
local record = ARGV[4] .. '|' .. ARGV[5] .. '|' .. (ARGV[10] or now)
if at_once then record = record .. '|' .. now end
if redis.call('HSETNX', KEYS[5], item, record) == 0 then return {-1} end
redis.call('ZADD', KEYS[3], ARGV[9], item)
if at_once then
  redis.call('SADD', KEYS[4], item)
  return {1}
end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
-- %.0f: Lua's default number format keeps 14 digits, too few for this score.
redis.call('ZADD', KEYS[2], string.format('%.0f', tonumber(ARGV[6]) * 1e12 + seq), item)
return {0, redis.call('ZRANK', KEYS[2], item) + 1}
