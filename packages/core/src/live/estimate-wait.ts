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
  /**
   * The queue's most recent hold times, ms, any order (kept with
   * {@link recordHoldTime}). With at least {@link MIN_HOLD_SAMPLE} of them
   * the estimate follows their spread, not only their average; fewer (or
   * none): every call is taken to last `handleMs`.
   */
  readonly recentHoldMs?: readonly number[];
  /** True while the queue is paused: nothing can be promised (the estimate is `null`). */
  readonly paused?: boolean;
}

/** What {@link estimateWaitsMs} needs: {@link WaitEstimateInput} for the first `positions` places at once. */
export type WaitEstimatesInput = Omit<WaitEstimateInput, "position"> & {
  /** How many places in line to estimate (1 to `positions`). */
  readonly positions: number;
};

/**
 * A held slot is expected to last at least this share of the average
 * handle time more, even when it is already older than the average (or,
 * with a sample of hold times, older than every one of them).
 */
const MIN_REMAINING_SHARE = 0.25;

/** Hold times {@link recordHoldTime} keeps per queue (≈ the calls the EWMA weighs most). */
export const HOLD_SAMPLE_SIZE = 50;

/** Fewer recent hold times than this, and their spread is not trusted (the average alone is used). */
export const MIN_HOLD_SAMPLE = 10;

/** Futures {@link estimateWaitsMs} plays out; the estimate is their median. */
const SIMULATED_RUNS = 128;

/**
 * Places played out per server (at least {@link MIN_SIMULATED_PLACES}); deeper
 * places follow at the average rate, `handleMs / servers` apart, which is
 * where the played-out departures converge anyway, so a line of hundreds
 * costs no more than one of dozens.
 */
const SIMULATED_ROUNDS = 4;
const MIN_SIMULATED_PLACES = 40;

/** Seed of the simulation's generator: the same input always gives the same estimate. */
const SIMULATION_SEED = 0x5eed_1e57;

/**
 * The expected wait of a caller at `position`, in ms; `null` when it cannot
 * be told (queue paused, no agent at all, or no handle time known). See
 * {@link estimateWaitsMs}.
 */
export function estimateWaitMs(input: WaitEstimateInput): number | null {
  const { position, ...queue } = input;
  if (position < 1) return estimateWaitsMs({ ...queue, positions: 0 }) === null ? null : 0;
  const waits = estimateWaitsMs({ ...queue, positions: position });
  return waits === null ? null : (waits[position - 1] as number);
}

/**
 * The expected waits of the callers at places 1 to `positions`, in ms (one
 * pass for a whole line); `null` when none can be told (queue paused, no
 * agent at all, or no handle time known).
 *
 * Unlike the usual `position × average handle time`, it accounts for how
 * many callers are served at once — `min(maxConcurrent, agents)` servers —
 * and for how long the current calls have already lasted. The caller at
 * place `p` is served when the `p`-th slot frees.
 *
 * With a sample of recent hold times (`recentHoldMs`, rescaled so its mean
 * is `handleMs`: the EWMA sets the level, the sample its spread), the next
 * departures are played out {@link SIMULATED_RUNS} times: a call held for
 * `a` ms lasts as long as one of the sampled holds longer than `a` (drawn
 * at random; none longer: a quarter of the average more), and each freed
 * slot takes the next caller for a hold drawn from the sample. The estimate
 * for place `p` is the median of the `p`-th departure over those runs
 * (beyond `max(40, 4 × servers)` places, each further place adds
 * `handleMs / servers`). Why
 * not the average alone: a call that has lasted a while is likely a long
 * one (with calls of 10 s or 120 s, one 20 s old has 100 s left, not the
 * average minus 20 s), and the first free slots are the ones held by the
 * short calls. The generator is seeded, so the function is pure.
 *
 * Without a sample (fewer than {@link MIN_HOLD_SAMPLE}), every call is
 * taken to last `handleMs`: each slot frees when its call's remaining time
 * (average minus time held, at least a quarter of the average) is up, then
 * every `handleMs`.
 */
export function estimateWaitsMs(input: WaitEstimatesInput): number[] | null {
  const { positions, maxConcurrent, agents, handleMs, heldMs } = input;
  if (input.paused) return null;
  if (!Number.isFinite(handleMs) || handleMs <= 0) return null;
  const servers = Math.max(0, Math.min(maxConcurrent, agents ?? maxConcurrent));
  if (servers === 0) return null;
  const count = Math.max(0, Math.floor(positions));
  // The longest-held calls first (with more holders than servers, the
  // newest ones are still ringing agents and hold no server yet).
  const held = [...heldMs].sort((a, b) => b - a).slice(0, servers);
  const sample = holdSampleOf(input.recentHoldMs ?? [], handleMs);
  return sample === null
    ? averageWaits(servers, held, handleMs, count)
    : simulatedWaits({ servers, held, sample, handleMs, count });
}

/** The sample sorted and rescaled to mean `handleMs`; `null` when too small to trust. */
function holdSampleOf(recent: readonly number[], handleMs: number): Float64Array | null {
  const usable = recent.filter((ms) => Number.isFinite(ms) && ms >= 0);
  if (usable.length < MIN_HOLD_SAMPLE) return null;
  const mean = usable.reduce((sum, ms) => sum + ms, 0) / usable.length;
  if (mean <= 0) return null;
  return Float64Array.from(usable, (ms) => (ms * handleMs) / mean).sort();
}

/** Every call lasts `handleMs`: the `p`-th of the slots' free times. */
function averageWaits(
  servers: number,
  held: readonly number[],
  handleMs: number,
  count: number,
): number[] {
  const free = held.map((ms) => Math.max(handleMs - ms, handleMs * MIN_REMAINING_SHARE));
  while (free.length < servers) free.push(0);
  free.sort((a, b) => a - b);
  const waits: number[] = [];
  for (let p = 1; p <= count; p++) {
    // Rounds of `servers` callers each take one more handleMs.
    const round = Math.floor((p - 1) / servers);
    waits.push(Math.round((free[(p - 1) % servers] as number) + round * handleMs));
  }
  return waits;
}

/** The median `p`-th departure over {@link SIMULATED_RUNS} played-out futures. */
function simulatedWaits(options: {
  servers: number;
  held: readonly number[];
  sample: Float64Array;
  handleMs: number;
  count: number;
}): number[] {
  const { servers, held, sample, handleMs } = options;
  const count = Math.min(options.count, Math.max(MIN_SIMULATED_PLACES, SIMULATED_ROUNDS * servers));
  const random = mulberry32(SIMULATION_SEED);
  const draw = (from: number) =>
    sample[from + Math.floor(random() * (sample.length - from))] as number;
  // departures[p][run]: when, in that run, the (p + 1)-th slot frees.
  const departures = Array.from({ length: count }, () => new Float64Array(SIMULATED_RUNS));
  const free = new Float64Array(servers);
  for (let run = 0; run < SIMULATED_RUNS; run++) {
    free.fill(0);
    held.forEach((age, i) => {
      const longer = upperBound(sample, age);
      free[i] = longer < sample.length ? draw(longer) - age : handleMs * MIN_REMAINING_SHARE;
    });
    heapify(free);
    for (let p = 0; p < count; p++) {
      const at = free[0] as number;
      (departures[p] as Float64Array)[run] = at;
      free[0] = at + draw(0);
      siftDown(free, 0);
    }
  }
  const waits = departures.map((times) => Math.round(median(times)));
  const last = waits[count - 1] ?? 0;
  for (let p = count + 1; p <= options.count; p++) {
    waits.push(Math.round(last + ((p - count) * handleMs) / servers));
  }
  return waits;
}

/** Index of the first value of sorted `values` greater than `x`. */
function upperBound(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function median(values: Float64Array): number {
  const sorted = values.slice().sort();
  const mid = sorted.length >>> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Makes `heap` a binary min-heap in place. */
function heapify(heap: Float64Array): void {
  for (let i = (heap.length >>> 1) - 1; i >= 0; i--) siftDown(heap, i);
}

function siftDown(heap: Float64Array, from: number): void {
  let i = from;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let least = i;
    if (left < heap.length && (heap[left] as number) < (heap[least] as number)) least = left;
    if (right < heap.length && (heap[right] as number) < (heap[least] as number)) least = right;
    if (least === i) return;
    const swap = heap[i] as number;
    heap[i] = heap[least] as number;
    heap[least] = swap;
    i = least;
  }
}

/** A small seeded generator of uniform numbers in [0, 1) (mulberry32). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `recent` with one more hold time, keeping the newest {@link HOLD_SAMPLE_SIZE}
 * (oldest first). Returns a new array.
 */
export function recordHoldTime(
  recent: readonly number[],
  heldMs: number,
  size = HOLD_SAMPLE_SIZE,
): number[] {
  const next = [...recent, Math.max(0, heldMs)];
  return next.length > size ? next.slice(next.length - size) : next;
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
