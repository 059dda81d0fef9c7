--[[
claim.lua: offer an agent a call, if they can take it (prepended: prelude.lua).

KEYS[1]  the agent's hash
KEYS[2]  the agent's lease sorted set
ARGV[1]  now (ms)
ARGV[2]  agent id
ARGV[3]  the contact the ring group wants to ring
ARGV[4]  uuid of the leg about to ring
ARGV[5]  lease length (ms)
ARGV[6]  events channel

Returns {'claimed', status, state}, {'notAvailable', status, state},
{'busy', status, state}, or {'unknown'} when the agent is gone or no longer
has that contact.

Invariant: an agent gets an r: lease only while Available and Idle, checked
and taken in one step, so two ring groups (or workers) never both ring them.
]]
if redis.call('HGET', KEYS[1], 'contact') ~= ARGV[3] then return { 'unknown' } end
local now = tonumber(ARGV[1])
local state = settle(KEYS[1], KEYS[2], ARGV[6], ARGV[2], now)
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= 'available' then return { 'notAvailable', status, state } end
if state ~= 'idle' then return { 'busy', status, state } end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), 'r:' .. ARGV[4])
state = settle(KEYS[1], KEYS[2], ARGV[6], ARGV[2], now)
return { 'claimed', status, state }
