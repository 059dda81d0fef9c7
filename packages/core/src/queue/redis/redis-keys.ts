/**
 * Where one queue lives in Redis. Every key carries the queue id as a hash
 * tag (`{queueId}`), so a queue's keys share a cluster slot and one script
 * may touch them all.
 */
export function queueKeys(prefix: string, queueId: string): string[] {
  const base = `${prefix}{${queueId}}:`;
  return [
    `${base}meta`,
    `${base}waiting`,
    `${base}leases`,
    `${base}holding`,
    `${base}entries`,
    `${base}hold-times`,
    `${base}owners`,
    `${base}offers`,
  ];
}

/** Indexes into {@link queueKeys}' result, named. */
export const KEY = {
  meta: 0,
  waiting: 1,
  leases: 2,
  holding: 3,
  entries: 4,
  holdTimes: 5,
  owners: 6,
  offers: 7,
} as const;

/** Set of every queue id used under `prefix`, for the periodic sweep. */
export function registryKey(prefix: string): string {
  return `${prefix}queues`;
}

/** The key whose random value changes when Redis loses its data (see `RedisEpoch`). */
export function epochKey(prefix: string): string {
  return `${prefix}epoch`;
}

/** Prefix of the per-process channels grants are published on. */
export function grantChannelPrefix(prefix: string): string {
  return `${prefix}grants:`;
}
