import { SRC } from "../core/channel.js";
import type { Session } from "../core/session.js";
import { planPlayback, playbackStats } from "./tone-stream.js";

/**
 * `switch_ivr_play_file`: PLAYBACK_START, the media loop (queued messages run
 * nested unless event-locked; uuid_break stops it), playback_* variables,
 * PLAYBACK_STOP. Returns how it ended.
 */
export async function playFile(
  s: Session,
  file: string,
  opts: { stopOn?: () => boolean } = {},
): Promise<"done" | "break" | "hangup" | "notfound"> {
  const ch = s.channel;
  if (!ch.answered && !ch.earlyMedia) {
    s.hooks.onPreAnswer?.(s);
    s.markPreAnswered();
  }
  const plan = planPlayback(file, () => undefined);
  if (!plan.found) return "notfound";
  const startEv = ch.event("PLAYBACK_START", SRC.playbackStart);
  if (file.startsWith("tone_stream:")) startEv.add("Playback-File-Type", "tone_stream");
  startEv.add("Playback-File-Path", file);
  s.host.bus.fire(startEv);
  const started = s.clock.now();
  const stopMedia = s.hooks.onMediaStart?.(s, started);
  const r = await s.mediaWait(plan.durationMs, { until: opts.stopOn });
  stopMedia?.();
  // Audio stopped when the far end hung up, not when this loop noticed it.
  const stoppedAt = r === "down" ? (s.farEndHangupAt ?? s.clock.now()) : s.clock.now();
  const elapsed = Math.max(0, stoppedAt - started);
  s.data.set("played_ms", ((s.data.get("played_ms") as number | undefined) ?? 0) + elapsed);
  const completed = r === "timeout";
  const st = playbackStats(plan, elapsed, completed);
  ch.setVar("playback_last_offset_pos", st.offsetPos);
  ch.setVar("playback_seconds", Math.floor(st.samples / 8000));
  ch.setVar("playback_ms", Math.floor(st.samples / 8));
  ch.setVar("playback_samples", st.samples);
  const stopEv = ch.event("PLAYBACK_STOP", SRC.playbackStop);
  if (file.startsWith("tone_stream:")) stopEv.add("Playback-File-Type", "tone_stream");
  stopEv.add("Playback-File-Path", file);
  stopEv.add("Playback-Status", r === "break" ? "break" : "done");
  s.host.bus.fire(stopEv);
  if (r === "down") return "hangup";
  return r === "break" ? "break" : "done";
}

/** The `playback` application. */
export async function playbackApp(s: Session, arg: string | undefined): Promise<void> {
  const r = await playFile(s, arg ?? "");
  const resp =
    r === "notfound" ? "FILE NOT FOUND" : r === "hangup" ? "PLAYBACK ERROR" : "FILE PLAYED";
  s.channel.setVar("current_application_response", resp);
}
