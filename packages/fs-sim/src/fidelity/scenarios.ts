import type { CallerSpec } from "../endpoints/sofia-caller.js";
import type { FsSim } from "../fs-sim.js";

/** How the runner recreates one recorded situation with scripted endpoints. */
export interface FidelityScenario {
  /** Configures the simulator's phones before the replay starts. */
  setup(sim: FsSim): void;
  /** SIP callers, one per recorded outbound connection, placed one after the other. */
  callers?: CallerSpec[];
}

const caller = (extra: Partial<CallerSpec> = {}): CallerSpec => ({
  from: "5551234",
  fromName: "Caller",
  to: "7000",
  ...extra,
});

/**
 * Scenarios 06–11 of reference/transcripts, as the recordings' sipp phones
 * behaved: 1001 answers (06), rings without answering (07) or answers 486
 * (08); 1019 is unregistered and 9999 unknown (08); 1001 answers after 1 s
 * while 1002 rings forever (09); a caller dials 7000 and 1001 answers then
 * hangs up after 2 s, or is busy twice (10); the caller hangs up after hearing 1.98 s of the playback (11).
 */
export const FIDELITY_SCENARIOS: Record<string, FidelityScenario> = {
  "06": {
    setup: (sim) => sim.directory.set("1001", { behaviour: { ringAfterMs: 0, answerAfterMs: 10 } }),
  },
  "07": { setup: (sim) => sim.directory.set("1001", { behaviour: { ringAfterMs: 0 } }) },
  "08": { setup: (sim) => sim.directory.set("1001", { behaviour: { busyAfterMs: 10 } }) },
  "09": {
    setup: (sim) => {
      sim.directory.set("1001", { behaviour: { ringAfterMs: 5, answerAfterMs: 1000 } });
      sim.directory.set("1002", { behaviour: { ringAfterMs: 0 } });
    },
  },
  "10": {
    setup: (sim) =>
      sim.directory.set("1001", {
        behaviour: [
          { ringAfterMs: 0, answerAfterMs: 0, hangupAfterMs: 2340 },
          { busyAfterMs: 0 },
          { busyAfterMs: 0 },
        ],
      }),
    callers: [caller(), caller(), caller()],
  },
  "11": {
    setup: () => {},
    // The recorded callers hung up 2.03 s after dialling, 1.98 s into the
    // playback (playback_last_offset_pos 15840 = 1980 ms of 8 kHz audio).
    // Anchored to what the caller heard, the situation is the same however
    // slowly a loaded machine gets the playback started.
    callers: [caller({ hangupAfterHeardMs: 1980 }), caller({ hangupAfterHeardMs: 1980 })],
  },
};

/** The recording each scripted scenario recreates (reference/transcripts/<name>.jsonl). */
export const SCRIPTED_TRANSCRIPTS: Record<string, string> = {
  "06": "06-user-answer",
  "07": "07-user-no-answer",
  "08": "08-user-busy-and-absent",
  "09": "09-parallel-lose-race",
  "10": "10-bridge-from-outbound",
  "11": "11-caller-hangup-while-queued",
};
