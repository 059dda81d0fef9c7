--[[
prelude.lua: helpers prepended to every agent script; never run alone.

An agent is a hash (config, status, stored state, wrapUpUntil, noAnswerCount,
version) plus a sorted set of leases scored by their expiry (ms):
  r:<uuid>  a ring-group leg offering the agent a call
  d:<uuid>  a call a ring group delivered (wrap-up follows when it ends)
  o:<uuid>  any other call seen on the agent's phone
The state is derived, never set: in a call while a d:/o: lease lives, ringing
while an r: lease does, in wrap-up until wrapUpUntil, idle otherwise.
Every status or state change bumps `version` and is published, in the same
step, on the events channel as JSON.
]]

local function derive_state(agent_key, leases_key, now)
  redis.call('ZREMRANGEBYSCORE', leases_key, '-inf', now)
  local ringing = false
  for _, member in ipairs(redis.call('ZRANGE', leases_key, 0, -1)) do
    local kind = string.sub(member, 1, 2)
    if kind == 'd:' or kind == 'o:' then return 'inCall' end
    if kind == 'r:' then ringing = true end
  end
  if ringing then return 'ringing' end
  if (tonumber(redis.call('HGET', agent_key, 'wrapUpUntil')) or 0) > now then return 'wrapUp' end
  return 'idle'
end

-- Stores the derived state; when it changed, publishes a stateChanged event.
local function settle(agent_key, leases_key, channel, agent_id, now)
  local state = derive_state(agent_key, leases_key, now)
  local previous = redis.call('HGET', agent_key, 'state')
  if state ~= previous then
    local version = redis.call('HINCRBY', agent_key, 'version', 1)
    redis.call('HSET', agent_key, 'state', state, 'stateSince', now)
    redis.call('PUBLISH', channel, cjson.encode({
      type = 'stateChanged', agentId = agent_id, state = state, previous = previous,
      at = now, version = version,
    }))
  end
  return state
end

-- Sets the status; when it changed, publishes a statusChanged event.
local function set_status(agent_key, channel, agent_id, status, reason, now)
  local previous = redis.call('HGET', agent_key, 'status')
  if previous == status then return end
  local version = redis.call('HINCRBY', agent_key, 'version', 1)
  redis.call('HSET', agent_key, 'status', status, 'statusSince', now)
  if status == 'available' then redis.call('HSET', agent_key, 'noAnswerCount', 0) end
  redis.call('PUBLISH', channel, cjson.encode({
    type = 'statusChanged', agentId = agent_id, status = status, previous = previous,
    reason = reason, at = now, version = version,
  }))
end
