-- heartbeat: drops entries whose lease ran out, renews the leases of one
-- process's entries in one queue and grants the slots that frees. With no
-- entries it is the periodic sweep of a queue. A lease that already ran out
-- is never renewed (fencing): its slot may be counted free by now, so the
-- owner is told the entry is gone instead.
-- KEYS[1..8]: the queue's keys, as in common.lua.
-- ARGV[1] now (ms)      ARGV[2] grant channel prefix
-- ARGV[3] owner         ARGV[4] new lease expiry (ms)
-- ARGV[5], ARGV[6], ... pairs of item id and ticket
-- Returns one state per pair: 0 gone (never there, or its lease ran out),
-- 1 waiting, 2 holding (claimed by this beat, if it was an offer). The owner
-- compares them with what it believes, which repairs a grant message it
-- missed and tells it of entries it lost.
-- Keeps: the common invariants; only this owner's entries (same ticket) are renewed,
-- and only while their lease runs.
local now = ARGV[1]
reclaim(now)
forget_owners(now)
local states = {}
for i = 5, #ARGV, 2 do
  local item = ARGV[i]
  local state = 0
  local value = redis.call('HGET', KEYS[5], item)
  if value then
    local owner, ticket, _, granted_at = entry_fields(value)
    local lease = tonumber(redis.call('ZSCORE', KEYS[3], item))
    if owner == ARGV[3] and ticket == ARGV[i + 1] and lease > tonumber(now) then
      redis.call('ZADD', KEYS[3], ARGV[4], item)
      -- The owner beating for its slot is alive: the grant is its own now.
      redis.call('HDEL', KEYS[8], item)
      state = granted_at == '' and 1 or 2
    end
  end
  states[#states + 1] = state
end
grant(now, ARGV[2])
return states
