/** What {@link estimateWaitMs} needs to know about a queue at one moment. */
export interface WaitEstimateInput {
  /** 1-based place in line of the caller. */
  readonly position: number;
  /** The queue's slot limit. */
  readonly maxConcurrent: number;
  /**
   * Agents who can take the queue's calls (logged in and available, busy or
   * not); `null` when unknown. With fewer agents than slots, only that many
   * callers are served at once.
   */
  readonly agents: number | null;
  /** Average handle time of the queue's recent calls (slot held: ringing + talk), ms. */
  readonly handleMs: number;
  /** How long each current holder has held its slot, ms (any order). */
  readonly heldMs: readonly number[];
  /** True while the queue is paused: nothing can be promised (the estimate is `null`). */
  readonly paused?: boolean;
}

/**
 * A held slot is expected to last at least this share of the average
 * handle time more, even when it is already older than the average.
 */
const MIN_REMAINING_SHARE = 0.25;

/**
 * The expected wait of a caller at `position`, in ms; `null` when it cannot
 * be told (queue paused, no agent at all, or no handle time known).
 *
 * Unlike the usual `position × average handle time`, it accounts for how
 * many callers are served at once — `min(maxConcurrent, agents)` servers —
 * and for how long the current calls have already lasted: each server is
 * free when its call's remaining time (average minus time held, never less
 * than a quarter of the average) is up, then every `handleMs`. The caller
 * is served when the `position`-th server frees, so the estimate is the
 * `position`-th of those times.
 */
export function estimateWaitMs(input: WaitEstimateInput): number | null {
  const { position, maxConcurrent, agents, handleMs, heldMs } = input;
  if (input.paused) return null;
  if (!Number.isFinite(handleMs) || handleMs <= 0) return null;
  const servers = Math.max(0, Math.min(maxConcurrent, agents ?? maxConcurrent));
  if (servers === 0) return null;
  if (position < 1) return 0;
  // When each server is next free: the longest-held calls first (with more
  // holders than servers, the newest ones are still ringing agents).
  const held = [...heldMs].sort((a, b) => b - a).slice(0, servers);
  const free: number[] = held.map((ms) => Math.max(handleMs - ms, handleMs * MIN_REMAINING_SHARE));
  while (free.length < servers) free.push(0);
  free.sort((a, b) => a - b);
  // Rounds of `servers` callers each take one more handleMs.
  const round = Math.floor((position - 1) / servers);
  const within = (position - 1) % servers;
  return Math.round((free[within] as number) + round * handleMs);
}

/** The seed's estimate, for comparison: `position × average handle time`. */
export function naiveWaitMs(position: number, handleMs: number): number {
  return Math.round(position * handleMs);
}

/** Weight of the newest sample in {@link updateHandleEwma} (≈ the last 20–40 calls count most). */
export const HANDLE_EWMA_ALPHA = 0.05;

/**
 * The exponentially weighted average of handle times after one more
 * `sampleMs`. Until `1 / alpha` samples were seen it is their plain mean
 * (each new one weighs `1 / samples`), so the first calls of a queue do
 * not stand for all of it. Returns the new average and sample count.
 */
export function updateHandleEwma(
  previous: { readonly ewmaMs: number | null; readonly samples: number },
  sampleMs: number,
  alpha = HANDLE_EWMA_ALPHA,
): { ewmaMs: number; samples: number } {
  const sample = Math.max(0, sampleMs);
  if (previous.ewmaMs === null || previous.samples === 0) return { ewmaMs: sample, samples: 1 };
  const samples = previous.samples + 1;
  const weight = Math.max(alpha, 1 / samples);
  return { ewmaMs: previous.ewmaMs + weight * (sample - previous.ewmaMs), samples };
}

/**
 * An estimate as a caller hears it: whole minutes, rounded up (never "0
 * minutes" for a wait still to come), e.g. `{ minutes: 3 }`; `null` stays
 * `null` (say nothing about the wait).
 */
export function spokenWaitMinutes(estimateMs: number | null): number | null {
  if (estimateMs === null) return null;
  return Math.max(1, Math.ceil(estimateMs / 60_000));
}
