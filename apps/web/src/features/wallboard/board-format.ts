/**
 * How the board shows numbers and which colour a tile takes. Presentation
 * only: the figures themselves come from core (live state) and the db
 * (today's counts).
 */

/** A tile's state against its queue's targets. */
export type TileTone = "ok" | "warn" | "alert" | "idle";

/** The longest wait and service level that turn a tile amber or red. */
export interface ToneInput {
  /** Longest wait of a caller waiting now, ms. */
  readonly longestWaitMs: number;
  /** The queue's service level threshold, seconds. */
  readonly serviceLevelSeconds: number;
  /** Today's service level, 0-1, or null when nothing finished yet. */
  readonly serviceLevel: number | null;
  readonly waiting: number;
  readonly paused: boolean;
}

/** Service level under this is amber; under {@link SERVICE_LEVEL_ALERT} red. */
export const SERVICE_LEVEL_TARGET = 0.8;
/** Service level under this turns a tile red. */
export const SERVICE_LEVEL_ALERT = 0.6;

/**
 * Red when someone has waited past twice the threshold or the day's
 * service level is under 60 %; amber past the threshold, under 80 %, or
 * paused with callers waiting; idle when nobody waits and nothing happened.
 */
export function toneOf(input: ToneInput): TileTone {
  const threshold = input.serviceLevelSeconds * 1000;
  if (input.longestWaitMs > 2 * threshold) return "alert";
  if (input.serviceLevel !== null && input.serviceLevel < SERVICE_LEVEL_ALERT) return "alert";
  if (input.longestWaitMs > threshold) return "warn";
  if (input.serviceLevel !== null && input.serviceLevel < SERVICE_LEVEL_TARGET) return "warn";
  if (input.paused && input.waiting > 0) return "warn";
  if (input.waiting === 0 && input.serviceLevel === null) return "idle";
  return "ok";
}

/** A wait's colour against the queue's threshold: amber past it, red past twice it. */
export function waitToneOf(waitMs: number, serviceLevelSeconds: number): TileTone {
  const threshold = serviceLevelSeconds * 1000;
  if (waitMs > 2 * threshold) return "alert";
  if (waitMs > threshold) return "warn";
  return "ok";
}

/** "0:07", "3:05", "1:02:09": a wait on a clock face. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}`
    : `${minutes}:${seconds}`;
}

/** An estimate as a caller would hear it: whole minutes, rounded up ("< 1 min", "4 min"). */
export function formatEstimate(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 60_000) return "< 1 min";
  return `~${Math.ceil(ms / 60_000)} min`;
}

/** "87 %", or "—" when there is nothing to measure. */
export function formatPercent(share: number | null): string {
  return share === null ? "—" : `${Math.round(share * 100)} %`;
}

/** "14:03:22" in the viewer's time zone. */
export function formatTimeOfDay(at: number): string {
  return new Date(at).toLocaleTimeString("en-GB", { hour12: false });
}
