--[[
live/publish.lua: publish a live event that changes no state (callEnded).

KEYS[1]  the queues' state hash (<prefix>{live}:queues); not read: it sends
         the script to the node of the {live} slot
ARGV[1]  the events channel (<prefix>live:events)
ARGV[2]  the event as JSON

Returns the number of subscribers on this node.

Invariant: every live event is published from the node put.lua runs on.
On a Redis Cluster, messages published on one node reach the others in
the order they were published, but messages from two nodes may overtake
each other; from one node, a callEnded never arrives before the queue
state published ahead of it.
]]
return redis.call('PUBLISH', ARGV[1], ARGV[2])
