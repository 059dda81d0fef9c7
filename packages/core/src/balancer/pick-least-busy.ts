/** What {@link pickLeastBusy} knows about one candidate. */
export interface LoadCandidate {
  readonly load: number;
  /** When its load last fell to zero (0 when it never carried a call). */
  readonly idleSince: number;
}

/**
 * Index of the candidate to ring next: least load, then idle the longest,
 * then the `turn`-th of those still tied (`turn` advances round-robin).
 * Returns the index and whether a tie of several consumed the turn.
 * The Redis balancer's Lua script applies the same rule.
 */
export function pickLeastBusy(
  candidates: readonly LoadCandidate[],
  turn: number,
): { index: number; usedTurn: boolean } {
  let ties: number[] = [];
  let best: LoadCandidate | undefined;
  candidates.forEach((candidate, index) => {
    if (
      !best ||
      candidate.load < best.load ||
      (candidate.load === best.load && candidate.idleSince < best.idleSince)
    ) {
      best = candidate;
      ties = [index];
    } else if (candidate.load === best.load && candidate.idleSince === best.idleSince) {
      ties.push(index);
    }
  });
  if (ties.length === 0) throw new RangeError("pickLeastBusy needs at least one candidate");
  if (ties.length === 1) return { index: ties[0] as number, usedTurn: false };
  return { index: ties[turn % ties.length] as number, usedTurn: true };
}

/** `items` without repeats, first occurrence kept. */
export function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
