--[[
live/put.lua: store the newer live state of one queue or agent and publish
its event (or remove an agent's state).

KEYS[1]  the state hash (<prefix>{live}:queues or <prefix>{live}:agents): field
         = queue or agent id, value = its state as JSON (with `at`)
ARGV[1]  the field (queue or agent id)
ARGV[2]  `at` of the new state (ms)
ARGV[3]  the new state as JSON, or "" to remove the field
ARGV[4]  the events channel (<prefix>live:events)
ARGV[5]  the event as JSON

Returns 1 when stored (and published), 0 when the held state is newer.

Invariant: the hash only ever moves forward in `at`, and every change it
takes is published with it, so a reader that subscribes first and then
reads the hash misses nothing.
]]
local held = redis.call('HGET', KEYS[1], ARGV[1])
local at = tonumber(ARGV[2])
if held then
  local ok, decoded = pcall(cjson.decode, held)
  if ok and type(decoded) == 'table' and tonumber(decoded.at) and tonumber(decoded.at) > at then
    return 0
  end
end
if ARGV[3] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
