import type { NewElementId } from "./element-ids";

/** A deterministic id source for tests: `prefix-1`, `prefix-2`, ... */
export function sequentialIds(): NewElementId {
  let n = 0;
  return (prefix) => `${prefix}-${++n}`;
}
