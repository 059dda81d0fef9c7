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
-- ARGV[11] the owner is alive until (ms; '' or absent: not recorded, e.g. because
--          the owner said so moments ago)
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
-- and never falls behind the clock, and a kept place scores between the
-- arrivals before and after it (kept_place_score).
local now = ARGV[1]
local item = ARGV[3]
redis.call('HSETNX', KEYS[1], 'max', ARGV[7])
local state = queue_state()
local max = state.max
if ARGV[11] and ARGV[11] ~= '' then redis.call('ZADD', KEYS[7], ARGV[11], ARGV[4]) end
if reclaim(now) > 0 then grant(now, ARGV[2], state) end

-- The score of an entry keeping the place of an arrival at `at` (ms) with
-- `priority`: behind every waiter of that priority whose enqueuedAt is at or
-- before `at`, ahead of the first one from there that joined later, and
-- ahead of every newcomer. Every waiter scored below band + (at - origin)
-- arrived before `at` (seq never falls behind the clock), so only those
-- from there on are read (more than one only after a burst of arrivals).
-- The score is halfway between its neighbours: not a whole number, which
-- no arrival ever gets.
local function kept_place_score(priority, at)
  local band = priority * 1e12
  local floor = band + (at - SEQ_ORIGIN)
  local lower = floor - 1
  local upper = nil
  local before = redis.call('ZREVRANGEBYSCORE', KEYS[2], '(' .. string.format('%.0f', floor),
    '(' .. string.format('%.0f', floor - 1), 'WITHSCORES', 'LIMIT', 0, 1)
  if before[2] then lower = tonumber(before[2]) end
  local offset = 0
  while upper == nil and offset < 10000 do
    local batch = redis.call('ZRANGEBYSCORE', KEYS[2], string.format('%.0f', floor),
      '(' .. string.format('%.0f', band + 1e12), 'WITHSCORES', 'LIMIT', offset, 100)
    if #batch == 0 then break end
    for i = 1, #batch, 2 do
      local _, _, enqueued_at = entry_fields(redis.call('HGET', KEYS[5], batch[i]))
      local score = tonumber(batch[i + 1])
      if tonumber(enqueued_at) <= at then
        lower = score
      else
        upper = score
        break
      end
    end
    offset = offset + 100
  end
  if upper == nil then
    -- Behind nobody who came later: just ahead of the next arrival's seq.
    local seq = tonumber(redis.call('HGET', KEYS[1], 'seq')) or 0
    upper = band + math.max(seq + 1, at - SEQ_ORIGIN)
    if upper <= lower then upper = lower + 1 end
  end
  return string.format('%.17g', (lower + upper) / 2)
end

-- `score`: the item's, if the caller just wrote it (spares reading it back).
local function waiting_reply(score)
  return {0, redis.call('ZRANK', KEYS[2], item) + 1, score or redis.call('ZSCORE', KEYS[2], item)}
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
  if grant(now, ARGV[2], state, item) then return {1} end
  return waiting_reply()
end

local restoring = state.restoring
local at_once = not state.paused and not (restoring and restoring > tonumber(now))
  and redis.call('SCARD', KEYS[4]) < max
local max_waiting = tonumber(ARGV[8])
if not at_once and max_waiting >= 0 and redis.call('ZCARD', KEYS[2]) >= max_waiting then
  return {-2}
end
local record = ARGV[4] .. '|' .. ARGV[5] .. '|' .. (ARGV[10] or now)
redis.call('ZADD', KEYS[3], ARGV[9], item)
if at_once then
  redis.call('HSET', KEYS[5], item, record .. '|' .. now)
  redis.call('SADD', KEYS[4], item)
  return {1}
end
redis.call('HSET', KEYS[5], item, record)
-- %.0f: Lua's default number format keeps 14 digits, too few for this score.
local score
if ARGV[12] == '1' then
  score = kept_place_score(tonumber(ARGV[6]), tonumber(ARGV[10]))
else
  score = string.format('%.0f', tonumber(ARGV[6]) * 1e12 + next_seq(now))
end
redis.call('ZADD', KEYS[2], score, item)
return waiting_reply(score)
