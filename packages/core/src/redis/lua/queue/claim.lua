-- claim: an owner takes a slot it was granted (an offer until now): from
-- here on it is its own, kept while its lease runs even if the owner is
-- slow to say it is alive. Also says the owner is alive.
-- KEYS[1..8]: the queue's keys, as in common.lua.
-- ARGV[1] now (ms)      ARGV[2] grant channel prefix
-- ARGV[3] item id       ARGV[4] owner        ARGV[5] ticket
-- ARGV[6] the owner is alive until (ms)
-- Returns 2 holding (claimed now or already), 1 still waiting (the offer
-- was taken back while the owner was not alive; it keeps its place), 0 gone
-- (not this owner's and ticket's, or its lease ran out).
-- Keeps: the common invariants.
local now = ARGV[1]
redis.call('ZADD', KEYS[7], ARGV[6], ARGV[4])
reclaim(now)
local result = 0
local value = redis.call('HGET', KEYS[5], ARGV[3])
if value then
  local owner, ticket, _, granted_at = entry_fields(value)
  if owner == ARGV[4] and ticket == ARGV[5] then
    redis.call('HDEL', KEYS[8], ARGV[3])
    result = granted_at == '' and 1 or 2
  end
end
grant(now, ARGV[2])
return result
