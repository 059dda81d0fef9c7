-- alive: says one process (owner) is alive in one queue, and grants any
-- free slot to the head of the line: the owner may have been passed over
-- while it was too slow to say so, and its waiters lead the line again.
-- KEYS[1..8]: the queue's keys, as in common.lua.
-- ARGV[1] now (ms)      ARGV[2] grant channel prefix
-- ARGV[3] owner         ARGV[4] alive until (ms)
-- Returns the number of holders after granting.
-- Keeps: the common invariants.
local now = ARGV[1]
redis.call('ZADD', KEYS[7], ARGV[4], ARGV[3])
reclaim(now)
forget_owners(now)
grant(now, ARGV[2])
return redis.call('SCARD', KEYS[4])
