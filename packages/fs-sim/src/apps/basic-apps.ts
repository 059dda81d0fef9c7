import { SRC } from "../core/channel.js";
import type { Session } from "../core/session.js";
import type { SimCore } from "../core/sim-core.js";
import { isCause } from "../core/states.js";
import { playbackApp } from "./playback.js";

/**
 * `park_timeout` (`<seconds>[:<cause>]`), read and cleared on entry to park
 * (park_after_bridge is cleared with it): the moment, in whole epoch
 * seconds as FreeSWITCH counts them, at which the parked channel is hung up.
 */
function parkTimeout(s: Session): { at: number; cause: string } | undefined {
  const to = s.channel.getVar("park_timeout");
  if (to === undefined) return undefined;
  s.channel.setVar("park_timeout", null);
  s.channel.setVar("park_after_bridge", null);
  const [seconds = "", cause = ""] = to.split(":");
  const n = Number.parseInt(seconds, 10) || 0;
  if (n < 0) return undefined;
  return {
    at: (Math.floor(s.clock.now() / 1000) + n) * 1000,
    cause: isCause(cause) ? cause : "NORMAL_CLEARING",
  };
}

/** `switch_ivr_park`: CHANNEL_PARK, wait (running queued messages), CHANNEL_UNPARK. */
export async function park(s: Session): Promise<void> {
  const timeout = parkTimeout(s);
  s.parked = true;
  s.channel.fire("CHANNEL_PARK", SRC.park);
  while (s.ready && s.parked) {
    if (timeout && s.clock.now() >= timeout.at) {
      s.hangup(timeout.cause);
      break;
    }
    const ch = s.channel;
    if (!ch.answered && !ch.earlyMedia && s.pendingMessages() > 0) {
      // Without media the park loop polls the queue itself and fires no PRIVATE_COMMAND.
      await s.runNextMessageQuietly();
      continue;
    }
    await s.mediaWait(timeout ? Math.max(0, timeout.at - s.clock.now()) : undefined, {
      until: () => !s.parked || (!ch.answered && !ch.earlyMedia && s.pendingMessages() > 0),
    });
    s.breakRequested = false;
  }
  s.parked = false;
  s.channel.fire("CHANNEL_UNPARK", SRC.unpark);
}

/** `answer`: the endpoint answers the far end first (loopback answers its -a leg). */
export async function answer(s: Session): Promise<void> {
  if (s.channel.answered) return;
  s.hooks.onAnswer?.(s);
  s.markAnswered();
}

function setVarApp(s: Session, arg: string | undefined, exportVar: boolean): void {
  if (!arg) return;
  const eq = arg.indexOf("=");
  const name = eq < 0 ? arg : arg.slice(0, eq);
  const value = eq < 0 ? undefined : arg.slice(eq + 1);
  if (exportVar) {
    const local = !name.startsWith("nolocal:");
    const bare = local ? name : name.slice("nolocal:".length);
    if (local) s.channel.setVar(bare, value);
    const exported = new Set((s.channel.getVar("export_vars") ?? "").split(",").filter(Boolean));
    exported.add(bare);
    s.channel.setVar("export_vars", [...exported].join(","));
    s.data.set(`export:${bare}`, value);
    return;
  }
  s.channel.setVar(name, value);
}

/** Registers answer, pre_answer, ring_ready, hangup, park, set, export, unset, sleep, playback, log. */
export function registerBasicApps(core: SimCore): void {
  core.registerApp("answer", answer);
  core.registerApp("pre_answer", async (s) => {
    s.hooks.onPreAnswer?.(s);
    s.markPreAnswered();
  });
  core.registerApp("ring_ready", async (s) => {
    s.markRingReady();
  });
  core.registerApp("hangup", async (s, arg) => {
    s.hangup(arg && isCause(arg) ? arg : "NORMAL_CLEARING");
  });
  core.registerApp("park", park);
  core.stateHandlers.park = park;
  core.registerApp("set", async (s, arg) => setVarApp(s, arg, false));
  core.registerApp("export", async (s, arg) => setVarApp(s, arg, true));
  core.registerApp("unset", async (s, arg) => {
    if (arg) s.channel.setVar(arg, null);
  });
  core.registerApp("sleep", async (s, arg) => {
    await s.mediaWait(Number.parseInt(arg ?? "0", 10) || 0);
  });
  core.registerApp("playback", playbackApp);
  core.registerApp("log", async () => {});
}
