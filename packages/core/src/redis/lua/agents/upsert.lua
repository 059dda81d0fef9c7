--[[
upsert.lua: add an agent (Logged out, Idle) or update their settings.

KEYS[1]  set of agent ids
KEYS[2]  contacts hash: contact -> agent id
KEYS[3]  the agent's hash
ARGV[1]  now (ms)
ARGV[2]  agent id
ARGV[3]  contact (dial string)
ARGV[4]  groups, as a JSON array
ARGV[5]  wrap-up time (ms)
ARGV[6]  max no-answer count (0 = never)

Returns {'ok'} or {'contactTaken', owner id}.

Invariant: each contact maps to exactly one agent, and that agent's hash
holds the same contact; status, state and counters survive an update.
]]
local now = ARGV[1]
local id, contact = ARGV[2], ARGV[3]
local owner = redis.call('HGET', KEYS[2], contact)
if owner and owner ~= id then return { 'contactTaken', owner } end
local old_contact = redis.call('HGET', KEYS[3], 'contact')
if old_contact and old_contact ~= contact and redis.call('HGET', KEYS[2], old_contact) == id then
  redis.call('HDEL', KEYS[2], old_contact)
end
if redis.call('EXISTS', KEYS[3]) == 0 then
  redis.call('HSET', KEYS[3], 'status', 'loggedOut', 'statusSince', now, 'state', 'idle',
    'stateSince', now, 'wrapUpUntil', 0, 'noAnswerCount', 0, 'version', 0)
end
redis.call('HSET', KEYS[3], 'id', id, 'contact', contact, 'groups', ARGV[4],
  'wrapUpMs', ARGV[5], 'maxNoAnswer', ARGV[6])
redis.call('SADD', KEYS[1], id)
redis.call('HSET', KEYS[2], contact, id)
return { 'ok' }
