-- restore: puts back an entry its process still holds after Redis lost it
-- (Redis restarted empty, or the entry was reclaimed while its process was
-- cut off): a waiter at its old place (its score), a holder only into a
-- free slot, so the queue never has more holders than its limit.
-- KEYS[1..8]: the queue's keys, as in common.lua.
-- ARGV[1] now (ms)      ARGV[2] grant channel prefix
-- ARGV[3] item id       ARGV[4] owner        ARGV[5] ticket
-- ARGV[6] maxConcurrent to record if the queue has no limit (it lost it)
-- ARGV[7] lease expiry (ms)                  ARGV[8] enqueuedAt (ms)
-- ARGV[9] grantedAt (ms) for a holder, '' for a waiter
-- ARGV[10] the waiter's score ('' if it never waited)
-- ARGV[11] the owner is alive until (ms)
-- ARGV[12] when Redis lost its data: grant nothing before this time (ms), so
--          every process can put its entries back first; '' otherwise
-- Returns 2 holding, 1 waiting, 3 a waiter put back and granted at once
-- (its owner learns from this reply), 0 could not (the item is someone
-- else's now, its slot was taken, or a waiter without a score).
-- Keeps: the common invariants; seq stays above every arrival put back.
local now = ARGV[1]
local item, owner, ticket = ARGV[3], ARGV[4], ARGV[5]
redis.call('HSETNX', KEYS[1], 'max', ARGV[6])
redis.call('ZADD', KEYS[7], ARGV[11], owner)
if ARGV[12] ~= '' then redis.call('HSETNX', KEYS[1], 'restoringUntil', ARGV[12]) end
local state = queue_state()
local max = state.max
reclaim(now)
local value = redis.call('HGET', KEYS[5], item)
if value then
  local o, t, _, granted_at = entry_fields(value)
  if o ~= owner or t ~= ticket then return 0 end
  redis.call('ZADD', KEYS[3], ARGV[7], item)
  return granted_at == '' and 1 or 2
end
local record = owner .. '|' .. ticket .. '|' .. ARGV[8]
if ARGV[9] ~= '' then
  if redis.call('SCARD', KEYS[4]) >= max then return 0 end
  redis.call('SADD', KEYS[4], item)
  redis.call('HSET', KEYS[5], item, record .. '|' .. ARGV[9])
  redis.call('ZADD', KEYS[3], ARGV[7], item)
  return 2
end
if ARGV[10] == '' then return 0 end
redis.call('ZADD', KEYS[2], ARGV[10], item)
redis.call('HSET', KEYS[5], item, record)
redis.call('ZADD', KEYS[3], ARGV[7], item)
local seq = math.fmod(tonumber(ARGV[10]), 1e12)
if (tonumber(redis.call('HGET', KEYS[1], 'seq')) or 0) < seq then
  redis.call('HSET', KEYS[1], 'seq', string.format('%.0f', seq))
end
if grant(now, ARGV[2], state, item) then return 3 end
return 1
