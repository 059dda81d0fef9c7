-- Helpers prepended to every queue script before it is loaded (this file is
-- never run on its own). Every script gets the same eight keys of one queue:
--   KEYS[1] meta       hash: max (slot limit), seq (arrival counter), holdSum (ms),
--                      restoringUntil (ms: no grants before it, after Redis lost its data),
--                      paused ("1" while paused: no grants at all)
--   KEYS[2] waiting    zset: item id -> priority * 1e12 + seq (serving order)
--   KEYS[3] leases     zset: item id -> lease expiry (ms), for every entry
--   KEYS[4] holding    set of the item ids holding a slot
--   KEYS[5] entries    hash: item id -> "owner|ticket|enqueuedAt", plus
--                      "|grantedAt" once it holds a slot
--   KEYS[6] hold-times list: hold times (ms) of the latest releases, newest first
--   KEYS[7] owners     zset: owner (a process's backend id) -> alive until (ms)
--   KEYS[8] offers     hash: item id -> its waiting score, for slots granted
--                      but not yet claimed by their owner
-- and ARGV[1] = now (ms, from the caller's clock), ARGV[2] = grant channel prefix.
-- The eight keys carry the queue id as a hash tag (<prefix>{<queue id>}:...),
-- so on a Redis Cluster they share one slot and a script may touch them all.
-- No script touches another key: the set of every queue (<prefix>queues) and
-- the epoch (<prefix>epoch) live in other slots, so the backend writes them
-- with commands of their own (SADD beside enqueue / configure / set-paused;
-- the sweep reads the set, then beats each queue). Nothing here depends on
-- them: a queue missing from the set is only swept later, by its own
-- operations. Grants are published on channels, which are not keys.
-- Invariants every script keeps: an item is in exactly one of waiting /
-- holding, and has a lease and an entry record (with grantedAt iff holding);
-- offers holds only holders; while a slot is free and the queue is not paused, every waiter belongs to
-- an owner that is not alive (a live owner's waiter at the head would have
-- been granted it); an offer to an owner that is not alive is taken back.

-- seq never falls behind the clock (ms since this origin), so entries
-- restored after Redis lost its data keep their places ahead of newcomers.
local SEQ_ORIGIN = 1700000000000
-- Owners dead this long are forgotten (far longer than any lease).
local OWNER_MEMORY_MS = 86400000

local function entry_fields(value)
  return string.match(value, '^([^|]*)|([^|]*)|([^|]*)|?([^|]*)$')
end

-- An owner is alive until the time its last liveness renewal named. One
-- never recorded (entries older than liveness) counts as alive.
local function owner_alive(owner, now)
  local alive_until = redis.call('ZSCORE', KEYS[7], owner)
  return not alive_until or tonumber(alive_until) > tonumber(now)
end

-- Takes back the slots granted to owners that died before claiming them
-- (a grant is only the owner's once it claims it): each goes back to its
-- place in line. Returns how many it took back.
local function revoke_offers(now)
  local offers = redis.call('HGETALL', KEYS[8])
  local revoked = 0
  for i = 1, #offers, 2 do
    local item, score = offers[i], offers[i + 1]
    local value = redis.call('HGET', KEYS[5], item)
    local owner, ticket, enqueued_at = entry_fields(value)
    if not owner_alive(owner, now) then
      redis.call('HDEL', KEYS[8], item)
      redis.call('SREM', KEYS[4], item)
      redis.call('ZADD', KEYS[2], score, item)
      redis.call('HSET', KEYS[5], item, owner .. '|' .. ticket .. '|' .. enqueued_at)
      revoked = revoked + 1
    end
  end
  return revoked
end

-- Drops entries whose lease ran out (their process died or lost Redis), at
-- most 100 per call; the rest go on the next call; and takes back unclaimed
-- grants of dead owners. Returns how many slots that freed.
local function reclaim(now)
  local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 100)
  if #expired > 0 then
    redis.call('ZREM', KEYS[3], unpack(expired))
    redis.call('ZREM', KEYS[2], unpack(expired))
    redis.call('SREM', KEYS[4], unpack(expired))
    redis.call('HDEL', KEYS[5], unpack(expired))
    redis.call('HDEL', KEYS[8], unpack(expired))
  end
  return #expired + revoke_offers(now)
end

-- Forgets owners dead for OWNER_MEMORY_MS: housekeeping, so only the
-- periodic scripts (heartbeat, alive) do it, not every join and release.
local function forget_owners(now)
  redis.call('ZREMRANGEBYSCORE', KEYS[7], '-inf', tonumber(now) - OWNER_MEMORY_MS)
end

-- The queue's limit, pause flag and restore barrier, in one read.
local function queue_state()
  local state = redis.call('HMGET', KEYS[1], 'max', 'paused', 'restoringUntil')
  return {max = tonumber(state[1]), paused = state[2] == '1', restoring = tonumber(state[3])}
end

-- The next arrival number: one more than the last, and never behind the clock.
local function next_seq(now)
  local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
  local floor = tonumber(now) - SEQ_ORIGIN
  if seq < floor then
    seq = floor
    redis.call('HSET', KEYS[1], 'seq', string.format('%.0f', seq))
  end
  return seq
end

-- Grants free slots to the head of the line, one by one, and tells each new
-- holder's process on its own channel; the grant is an offer until the owner
-- claims it (claim.lua, or its next heartbeat). Waiters of owners that are not alive
-- (killed, or too slow to renew) are passed over but keep their places: a
-- slow owner's waiters are served once it renews; a dead owner's expire with
-- their lease. `state` (queue_state()) may be passed when the caller
-- already read it; `except` is an item whose owner learns from the script's
-- reply, so it is not told on its channel. `own`, if given, is the owner
-- running the script: it is alive right now and reads the reply, so its
-- waiters are granted outright (holding, no offer to claim, nothing
-- published), like an entry granted at once by enqueue. Returns true if
-- `except` was granted, and the tickets granted to `own`.
local function grant(now, channel_prefix, state, except, own)
  local own_tickets = {}
  state = state or queue_state()
  local max = state.max
  if not max or state.paused then return false, own_tickets end
  -- Redis lost its data a moment ago: every process is putting its entries
  -- back; a slot granted now could go to someone who was further back.
  local restoring = state.restoring
  if restoring then
    if restoring > tonumber(now) then return false, own_tickets end
    redis.call('HDEL', KEYS[1], 'restoringUntil')
    state.restoring = nil
  end
  local free = max - redis.call('SCARD', KEYS[4])
  local skipped = 0
  local granted_except = false
  -- Bounds the work of one call when many dead waiters lead the line.
  while free > 0 and skipped < 1000 do
    -- As many as there are free slots (at most 16): usually every one is granted.
    local batch = redis.call('ZRANGE', KEYS[2], skipped, skipped + math.min(free, 16) - 1)
    if #batch == 0 then break end
    for _, item in ipairs(batch) do
      if free == 0 then break end
      local value = redis.call('HGET', KEYS[5], item)
      local owner, ticket = entry_fields(value)
      if owner == own or owner_alive(owner, now) then
        if item == except then
          granted_except = true
        elseif owner == own then
          own_tickets[#own_tickets + 1] = ticket
        else
          redis.call('HSET', KEYS[8], item, redis.call('ZSCORE', KEYS[2], item))
          redis.call('PUBLISH', channel_prefix .. owner, ticket)
        end
        redis.call('ZREM', KEYS[2], item)
        redis.call('SADD', KEYS[4], item)
        redis.call('HSET', KEYS[5], item, value .. '|' .. now)
        free = free - 1
      else
        skipped = skipped + 1
      end
    end
  end
  return granted_except, own_tickets
end
