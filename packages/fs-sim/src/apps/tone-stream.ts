/**
 * How long a playback lasts and what it reports: `tone_stream://%(on,off,hz);loops=N`
 * is timed from its segments (loops=-1 plays until broken); `local_stream://`
 * (mod_local_stream's music on hold) never ends by itself; other files get a
 * nominal length.
 */
export interface PlaybackPlan {
  /** Total length in ms; undefined = endless. */
  durationMs: number | undefined;
  /** Length of each generated segment, ms (tone streams render a segment at a time). */
  segmentMs: number;
  found: boolean;
}

/** Nominal length of a prompt that is not a tone stream. */
export const DEFAULT_FILE_MS = 1000;

export function planPlayback(
  file: string,
  knownFile: (path: string) => number | undefined,
): PlaybackPlan {
  if (file.startsWith("tone_stream://")) {
    const spec = file.slice("tone_stream://".length);
    let segMs = 0;
    let total = 0;
    for (const m of spec.matchAll(/%\(([^)]*)\)/g)) {
      const [on = "0", off = "0"] = (m[1] ?? "").split(",");
      const len = (Number.parseInt(on, 10) || 0) + (Number.parseInt(off, 10) || 0);
      segMs = segMs || len;
      total += len;
    }
    const loopsM = /loops=(-?\d+)/.exec(spec);
    const loops = loopsM ? Number.parseInt(loopsM[1] as string, 10) : 1;
    if (total === 0) total = segMs = 1000;
    return {
      durationMs: loops < 0 ? undefined : total * Math.max(1, loops),
      segmentMs: segMs,
      found: true,
    };
  }
  if (file.startsWith("silence_stream://")) {
    const ms = Number.parseInt(file.slice("silence_stream://".length), 10);
    return { durationMs: ms > 0 ? ms : undefined, segmentMs: 20, found: true };
  }
  if (file.startsWith("local_stream://")) {
    // A local stream is a shared, looping source: playback of it ends only
    // when broken (uuid_break) or hung up, as hold music relies on.
    return { durationMs: undefined, segmentMs: 20, found: true };
  }
  const known = knownFile(file);
  if (known === undefined && file.startsWith("/"))
    return { durationMs: 0, segmentMs: 20, found: false };
  const len = known ?? DEFAULT_FILE_MS;
  return { durationMs: len, segmentMs: len, found: true };
}

/** playback_* variables after `elapsedMs` of a plan (completed or broken). */
export function playbackStats(plan: PlaybackPlan, elapsedMs: number, completed: boolean) {
  const rate = 8;
  if (completed && plan.durationMs !== undefined) {
    const samples = plan.durationMs * rate;
    return { offsetPos: samples, samples };
  }
  // The epsilon absorbs float rounding of epoch-sized instants (t0 + 1980 - t0 < 1980).
  const frames = Math.max(1, Math.floor(elapsedMs / 20 + 1e-6));
  const segs = Math.max(1, Math.ceil((frames * 20) / plan.segmentMs));
  return { offsetPos: frames * 160, samples: segs * plan.segmentMs * rate };
}
