import type { CallSession } from "../../call-control/call-session.js";
import type { CallState } from "./call-state.js";

/**
 * A playback that ends sooner than this is not music to loop (a missing or
 * empty file, a stream that failed at once): restarting it would flood the
 * switch with commands, so the caller gets silence instead.
 */
export const MIN_HOLD_MUSIC_LOOP_MS = 1000;

/**
 * Why a playback's signal aborts when the music stops: made once, since
 * `abort()` without a reason builds a DOMException, stack and all, at
 * every stop (several per call); nothing reads it.
 */
const STOPPED = Object.freeze(new Error("hold music stopped"));

interface Playing {
  readonly file: string;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/**
 * The hold music of one call: plays a file or stream in a loop, restarting
 * it whenever it ends, until stopped. It keeps playing across nodes that do
 * not need the channel (from a queue's wait into the ring group after it),
 * so the caller never hears a gap; anything else that plays, listens or
 * bridges stops it first.
 */
export class HoldMusic {
  private playing: Playing | null = null;

  constructor(
    private readonly call: CallSession,
    private readonly state: CallState,
  ) {}

  /** The file playing now, or `null`. */
  get file(): string | null {
    return this.playing?.file ?? null;
  }

  /** Plays `file` in a loop; nothing changes if it is already playing. */
  async start(file: string): Promise<void> {
    if (this.playing?.file === file) return;
    await this.stop();
    if (this.call.signal.aborted) return;
    const controller = new AbortController();
    this.playing = { file, controller, done: this.loop(file, controller.signal) };
  }

  /** Stops the music; resolves once the playback has ended. */
  async stop(): Promise<void> {
    const playing = this.playing;
    if (!playing) return;
    this.playing = null;
    playing.controller.abort(STOPPED);
    await playing.done;
  }

  private async loop(file: string, signal: AbortSignal): Promise<void> {
    for (;;) {
      const startedAt = this.state.now();
      let status: string;
      try {
        status = await this.call.play(file, { signal });
      } catch (error) {
        if (!signal.aborted && !this.call.signal.aborted) {
          this.state.error(error, { during: "holdMusic", file });
        }
        return;
      }
      if (signal.aborted || this.call.signal.aborted) return;
      if (status === "notFound" || status === "error") {
        this.state.note("holdMusicStopped", { file, status });
        return;
      }
      if (this.state.now() - startedAt < MIN_HOLD_MUSIC_LOOP_MS) {
        this.state.note("holdMusicStopped", { file, status, reason: "tooShort" });
        return;
      }
    }
  }
}
