-- remove: takes one entry out of its queue wherever it is (a waiter leaving,
-- a holder releasing, or a slot granted to an entry that is leaving) and
-- hands any freed slot to the head of the line.
-- KEYS[1..8]: the queue's keys, as in common.lua.
-- ARGV[1] now (ms)      ARGV[2] grant channel prefix
-- ARGV[3] item id       ARGV[4] owner        ARGV[5] ticket
-- ARGV[6] "1" to add the hold time to the rolling average (a release), "0" not to
-- ARGV[7] how many hold times the rolling average keeps
-- ARGV[8] optional, "1": grant freed slots to the owner's own waiters outright
-- (see `own` in common.lua's grant) and list their tickets in the reply
-- Returns 1 a waiter was removed, 2 a holder was removed, 0 no such entry of
-- this owner and ticket (already gone, reclaimed, or someone else's); with
-- ARGV[8], {that number, tickets granted to the owner...} instead.
-- Keeps: the common invariants; holdSum = sum of the hold-times list, which
-- never holds more than ARGV[7] values.
local now = ARGV[1]
reclaim(now)
local item = ARGV[3]
local result = 0
local value = redis.call('HGET', KEYS[5], item)
if value then
  local owner, ticket, _, granted_at = entry_fields(value)
  if owner == ARGV[4] and ticket == ARGV[5] then
    redis.call('HDEL', KEYS[5], item)
    redis.call('HDEL', KEYS[8], item)
    redis.call('ZREM', KEYS[3], item)
    if granted_at == '' then
      redis.call('ZREM', KEYS[2], item)
      result = 1
    else
      redis.call('SREM', KEYS[4], item)
      result = 2
      if ARGV[6] == '1' then
        local held = math.max(0, tonumber(now) - tonumber(granted_at))
        local change = held
        if redis.call('LPUSH', KEYS[6], held) > tonumber(ARGV[7]) then
          change = held - tonumber(redis.call('RPOP', KEYS[6]))
        end
        -- One increment by the net change; %.0f: never "-0" (HINCRBY rejects it) nor "1e+15".
        if change ~= 0 then redis.call('HINCRBY', KEYS[1], 'holdSum', string.format('%.0f', change)) end
      end
    end
  end
end
if ARGV[8] ~= '1' then
  grant(now, ARGV[2])
  return result
end
local _, own_tickets = grant(now, ARGV[2], nil, nil, ARGV[4])
table.insert(own_tickets, 1, result)
return own_tickets
