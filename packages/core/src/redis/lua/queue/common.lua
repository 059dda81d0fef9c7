-- Helpers prepended to every queue script before it is loaded (this file is
-- never run on its own). Every script gets the same six keys of one queue:
--   KEYS[1] meta       hash: max (slot limit), seq (arrival counter), holdSum (ms)
--   KEYS[2] waiting    zset: item id -> priority * 1e12 + seq (serving order)
--   KEYS[3] leases     zset: item id -> lease expiry (ms), for every entry
--   KEYS[4] holding    set of the item ids holding a slot
--   KEYS[5] entries    hash: item id -> "owner|ticket|enqueuedAt", plus
--                      "|grantedAt" once it holds a slot
--   KEYS[6] hold-times list: hold times (ms) of the latest releases, newest first
-- and ARGV[1] = now (ms, from the caller's clock), ARGV[2] = grant channel prefix.
-- Invariants every script keeps: an item is in exactly one of waiting /
-- holding, and has a lease and an entry record (with grantedAt iff holding);
-- waiting is non-empty only while at least max slots are held.

local function entry_fields(value)
  return string.match(value, '^([^|]*)|([^|]*)|([^|]*)|?([^|]*)$')
end

-- Drops entries whose lease ran out (their process died or lost Redis), at
-- most 100 per call; the rest go on the next call. Returns how many it dropped.
local function reclaim(now)
  local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 100)
  if #expired > 0 then
    redis.call('ZREM', KEYS[3], unpack(expired))
    redis.call('ZREM', KEYS[2], unpack(expired))
    redis.call('SREM', KEYS[4], unpack(expired))
    redis.call('HDEL', KEYS[5], unpack(expired))
  end
  return #expired
end

-- Grants free slots to the head of the line, one by one, and tells each new
-- holder's process on its own channel. `max` may be passed when the caller
-- already read it. A new holder keeps its lease; its owner's heartbeat renews it.
local function grant(now, channel_prefix, max)
  max = max or tonumber(redis.call('HGET', KEYS[1], 'max'))
  if not max then return end
  local free = max - redis.call('SCARD', KEYS[4])
  while free > 0 do
    local head = redis.call('ZPOPMIN', KEYS[2])
    if #head == 0 then return end
    local item = head[1]
    redis.call('SADD', KEYS[4], item)
    local value = redis.call('HGET', KEYS[5], item)
    redis.call('HSET', KEYS[5], item, value .. '|' .. now)
    local owner, ticket = entry_fields(value)
    redis.call('PUBLISH', channel_prefix .. owner, ticket)
    free = free - 1
  end
end
