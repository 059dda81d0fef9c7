import type { CallerSpec } from "@ringflow/fs-sim";
import { VIP_PREFIX } from "./soak-flows.js";

/** A small seeded generator (mulberry32): the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What kind of caller a soak call is (the report counts them). */
export type CallerKind =
  | "patient"
  | "vip"
  | "leavesWaiting"
  | "leavesBridged"
  | "sales"
  | "voicemail"
  | "noKey"
  | "unrouted";

/** The numbers of the soak: each line has one number per worker, which that worker takes first. */
export interface SoakNumbers {
  readonly support: readonly string[];
  readonly sales: readonly string[];
  readonly unrouted: string;
}

const MIX: ReadonlyArray<readonly [CallerKind, number]> = [
  ["patient", 30],
  ["vip", 8],
  ["leavesWaiting", 17],
  ["leavesBridged", 10],
  ["sales", 15],
  ["voicemail", 7],
  ["noKey", 8],
  ["unrouted", 5],
];
const TOTAL = MIX.reduce((sum, [, weight]) => sum + weight, 0);

/**
 * The i-th caller of a soak (times are the simulator's: ten times faster
 * than real ones). Callers who hang up do so after a random time, so some
 * leave while waiting, some while agents ring, some while talking.
 */
export function soakCaller(
  i: number,
  random: () => number,
  numbers: SoakNumbers,
): { kind: CallerKind; spec: CallerSpec } {
  let pick = random() * TOTAL;
  let kind: CallerKind = "patient";
  for (const [candidate, weight] of MIX) {
    pick -= weight;
    if (pick < 0) {
      kind = candidate;
      break;
    }
  }
  const one = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const between = (min: number, max: number) => Math.round(min + random() * (max - min));
  const from = `555${String(1_000_000 + (i % 9_000_000)).slice(-7)}`;
  switch (kind) {
    case "patient":
      return { kind, spec: { from, to: one(numbers.support) } };
    case "vip":
      return {
        kind,
        spec: {
          from: `${VIP_PREFIX}${String(i % 100).padStart(2, "0")}`,
          to: one(numbers.support),
        },
      };
    case "leavesWaiting":
      return {
        kind,
        spec: { from, to: one(numbers.support), hangupAfterMs: between(3_000, 40_000) },
      };
    case "leavesBridged":
      return {
        kind,
        spec: { from, to: one(numbers.support), hangupAfterMs: between(40_000, 120_000) },
      };
    case "sales":
      return { kind, spec: { from, to: one(numbers.sales), dtmf: [{ at: 3_000, digits: "1" }] } };
    case "voicemail":
      return {
        kind,
        spec: {
          from,
          to: one(numbers.sales),
          dtmf: [{ at: 3_000, digits: "2" }],
          hangupAfterMs: between(30_000, 60_000),
        },
      };
    case "noKey":
      return { kind, spec: { from, to: one(numbers.sales) } };
    case "unrouted":
      return { kind, spec: { from, to: numbers.unrouted } };
  }
}
