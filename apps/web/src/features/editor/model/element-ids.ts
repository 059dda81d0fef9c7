/** Makes a new, unused element id; injected so tests can be deterministic. */
export type NewElementId = (prefix: string) => string;

/**
 * Short random ids with a readable prefix (`queue-k3x9q2`), unique among
 * `taken` (the flow's current ids). Ids are never reused after deletion
 * within a session, as the undo stack may still name them.
 */
export function createElementIds(
  taken: Iterable<string> = [],
  random: () => number = Math.random,
): NewElementId {
  const used = new Set(taken);
  return (prefix) => {
    for (;;) {
      const suffix = Math.floor(random() * 36 ** 6)
        .toString(36)
        .padStart(6, "0");
      const id = `${prefix}-${suffix}`;
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
  };
}
