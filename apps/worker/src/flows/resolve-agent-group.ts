import { type Clock, systemClock } from "@ringflow/core";
import type { Db } from "@ringflow/db";

/** How long a group's members are remembered before the database is asked again. */
const CACHE_MS = 2_000;

/**
 * `FlowRuntime.resolveAgentGroup` over the database: the contacts of the
 * group's members in ring order; `null` for a group that does not exist.
 * Who of them is rung is the agent registry's call (the ring group claims
 * each one: only Available and Idle agents ring), not the database's. Answers are kept for two seconds so a burst of calls to
 * one group costs one query; `options.clock` tells their age (default `systemClock`).
 */
export function createAgentGroupResolver(
  db: Pick<Db<unknown>, "groups">,
  options: { readonly clock?: Clock } = {},
): (groupId: string) => Promise<readonly string[] | null> {
  const clock = options.clock ?? systemClock;
  const cache = new Map<string, { at: number; contacts: Promise<readonly string[] | null> }>();
  return (groupId) => {
    const now = clock.now();
    const hit = cache.get(groupId);
    if (hit && now - hit.at < CACHE_MS) return hit.contacts;
    const contacts = db.groups.get(groupId).then((group) => {
      if (!group) return null;
      return group.members.map((m) => m.contact);
    });
    // A failed lookup is not remembered.
    contacts.catch(() => cache.delete(groupId));
    cache.set(groupId, { at: now, contacts });
    if (cache.size > 1_000) cache.delete(cache.keys().next().value as string);
    return contacts;
  };
}
