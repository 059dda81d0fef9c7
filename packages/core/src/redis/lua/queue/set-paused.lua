-- set-paused: pauses or resumes a queue. Paused, it grants nothing (newcomers
-- wait too) and waiters keep their places; resumed, free slots go to the
-- head of the line at once, in order.
-- KEYS[1..8]: the queue's keys, as in common.lua.
-- ARGV[1] now (ms)      ARGV[2] grant channel prefix
-- ARGV[3] "1" to pause, "0" to resume
-- Returns the number of holders after granting.
-- Keeps: the common invariants (waiting is empty while a slot is free, unless paused).
local now = ARGV[1]
if ARGV[3] == '1' then
  redis.call('HSET', KEYS[1], 'paused', '1')
else
  redis.call('HDEL', KEYS[1], 'paused')
  reclaim(now)
  grant(now, ARGV[2])
end
return redis.call('SCARD', KEYS[4])
