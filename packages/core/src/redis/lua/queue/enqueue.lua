-- enqueue: puts an entry in a queue's line, or straight into a slot if one
-- is free (only waiters of owners that are not alive can be in line then);
-- or takes over an entry of the same item left by an owner that is not
-- alive (a call handed to another process when its process died), keeping
-- its place or its slot.
-- KEYS[1..8]: the queue's keys, as in common.lua.
-- ARGV[1] now (ms)             ARGV[2] grant channel prefix
-- ARGV[3] item id              ARGV[4] owner (the enqueuing process's id)
-- ARGV[5] ticket (owner-local id of this entry; what a grant message carries)
-- ARGV[6] priority (integer 0..999, lower first)
-- ARGV[7] maxConcurrent to record if the queue has no limit yet (first use wins)
-- ARGV[8] maxWaiting (-1: no limit)
-- ARGV[9] lease expiry of the new entry (ms)
-- ARGV[10] when the caller asked to join (ms): the entry's enqueuedAt (default: now)
-- ARGV[11] the owner is alive until (ms; default: not recorded)
-- ARGV[12] 1: the entry keeps the place ARGV[10] gives it, ahead of the waiters
--          of its priority that arrived after then (a callback's); else the end
-- Returns {1} granted at once (or a held slot taken over), {0, position,
-- score} waiting (1-based; score is its place, kept to restore it), {-1} the
-- item is already in this queue for this owner, {-2} it would wait and the
-- line is full, {-3, aliveUntil} the item is another owner's, alive until
-- then (a call handed on by the switch arrives before its dead process
-- stops counting as alive: the caller tries again after that time). When it refuses, nothing is written but the first-use limit
-- and the owner's liveness.
-- Keeps: the common invariants; order is (priority, arrival) because seq only grows
-- and never falls behind the clock, so an arrival time maps onto the same scale.
local now = ARGV[1]
local item = ARGV[3]
redis.call('HSETNX', KEYS[1], 'max', ARGV[7])
local max = tonumber(redis.call('HGET', KEYS[1], 'max'))
if ARGV[11] then redis.call('ZADD', KEYS[7], ARGV[11], ARGV[4]) end
if reclaim(now) > 0 then grant(now, ARGV[2], max) end

local function waiting_reply()
  return {0, redis.call('ZRANK', KEYS[2], item) + 1, redis.call('ZSCORE', KEYS[2], item)}
end

local existing = redis.call('HGET', KEYS[5], item)
if existing then
  local owner, _, enqueued_at, granted_at = entry_fields(existing)
  if owner == ARGV[4] then return {-1} end
  if owner_alive(owner, now) then
    return {-3, tonumber(redis.call('ZSCORE', KEYS[7], owner)) or (tonumber(now) + 1)}
  end
  local record = ARGV[4] .. '|' .. ARGV[5] .. '|' .. enqueued_at
  if granted_at ~= '' then record = record .. '|' .. granted_at end
  redis.call('HSET', KEYS[5], item, record)
  redis.call('ZADD', KEYS[3], ARGV[9], item)
  redis.call('HDEL', KEYS[8], item)
  if granted_at ~= '' then return {1} end
  if grant(now, ARGV[2], max, item) then return {1} end
  return waiting_reply()
end

local waiting = redis.call('ZCARD', KEYS[2])
local restoring = tonumber(redis.call('HGET', KEYS[1], 'restoringUntil'))
local at_once = redis.call('SCARD', KEYS[4]) < max and not (restoring and restoring > tonumber(now))
  and redis.call('HGET', KEYS[1], 'paused') ~= '1'
local max_waiting = tonumber(ARGV[8])
if not at_once and max_waiting >= 0 and waiting >= max_waiting then return {-2} end
local record = ARGV[4] .. '|' .. ARGV[5] .. '|' .. (ARGV[10] or now)
redis.call('ZADD', KEYS[3], ARGV[9], item)
if at_once then
  redis.call('HSET', KEYS[5], item, record .. '|' .. now)
  redis.call('SADD', KEYS[4], item)
  return {1}
end
redis.call('HSET', KEYS[5], item, record)
-- %.0f: Lua's default number format keeps 14 digits, too few for this score.
local seq
if ARGV[12] == '1' then
  seq = math.max(0, tonumber(ARGV[10]) - SEQ_ORIGIN)
else
  seq = next_seq(now)
end
redis.call('ZADD', KEYS[2], string.format('%.0f', tonumber(ARGV[6]) * 1e12 + seq), item)
return waiting_reply()
