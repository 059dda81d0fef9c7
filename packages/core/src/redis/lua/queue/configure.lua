-- configure: sets a queue's slot limit and grants any slots a raised limit
-- frees to the head of the line at once. Holders above a lowered limit keep
-- their slots; nobody new is granted until the count is below it.
-- KEYS[1..8]: the queue's keys, as in common.lua.
-- ARGV[1] now (ms)      ARGV[2] grant channel prefix
-- ARGV[3] maxConcurrent (integer >= 1)
-- Returns the number of holders after granting.
-- Keeps: the common invariants (waiting is empty while a slot is free).
local now = ARGV[1]
redis.call('HSET', KEYS[1], 'max', ARGV[3])
reclaim(now)
grant(now, ARGV[2])
return redis.call('SCARD', KEYS[4])
