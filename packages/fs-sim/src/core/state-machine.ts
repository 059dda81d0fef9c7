import { SRC } from "./channel.js";
import type { Session } from "./session.js";
import { type ChannelState, CS } from "./states.js";
import { setHangupVariables } from "./timestamps.js";

/**
 * `switch_core_session_run`: whenever the requested state differs from the
 * running one, announce it (CHANNEL_STATE) and run its handler; otherwise
 * idle (servicing the message queue) until something changes the state.
 * After CS_REPORTING the channel waits for whoever holds it (an outbound
 * socket) before CHANNEL_DESTROY.
 */
export async function runSession(s: Session): Promise<void> {
  const ch = s.channel;
  for (;;) {
    const state = ch.state;
    if (state === CS.DESTROY) break;
    if (state !== ch.runningState || state >= CS.HANGUP) {
      ch.setRunningState(state);
      s.kick();
      await handleState(s, state);
    }
    if (ch.state === ch.runningState && ch.state < CS.HANGUP) {
      await s.mediaWait(undefined, { until: () => ch.state !== ch.runningState });
      s.breakRequested = false;
    }
  }
  while (s.held) await s.waitKick();
  ch.fire("CHANNEL_DESTROY", SRC.destroy);
  ch.setRunningState(CS.DESTROY);
  s.markDestroyed();
}

async function handleState(s: Session, state: ChannelState): Promise<void> {
  const ch = s.channel;
  switch (state) {
    case CS.INIT:
      s.hooks.onInit?.(s);
      ch.fire("CHANNEL_CREATE", SRC.create);
      if (ch.direction === "outbound") ch.fire("CHANNEL_ORIGINATE", SRC.originate);
      return;
    case CS.ROUTING:
      onRouting(s);
      return;
    case CS.EXECUTE:
      await onExecute(s);
      return;
    case CS.HIBERNATE:
      // uuid_bridge parks both legs here on the way to CS_SOFT_EXECUTE.
      if (s.data.has("uuid_bridge_peer") || s.data.has("uuid_bridge_wait"))
        s.setState(CS.SOFT_EXECUTE);
      return;
    case CS.SOFT_EXECUTE:
      if (s.data.has("uuid_bridge_wait")) ch.setVar("call_uuid", ch.getVar("call_uuid"));
      s.data.delete("uuid_bridge_wait");
      if (s.data.has("uuid_bridge_peer")) await s.host.stateHandlers.softExecute(s);
      return;
    case CS.EXCHANGE_MEDIA:
      await s.host.stateHandlers.exchangeMedia(s);
      return;
    case CS.CONSUME_MEDIA:
      s.hooks.onConsumeMedia?.(s);
      return;
    case CS.PARK:
      await s.host.stateHandlers.park(s);
      return;
    case CS.HANGUP:
      hangupState(s);
      s.setState(CS.REPORTING);
      return;
    case CS.REPORTING:
      reportingState(s);
      ch.state = CS.DESTROY;
      return;
    default:
      return;
  }
}

/** Originated legs wait for their far end; inbound legs look up the dialplan. */
function onRouting(s: Session): void {
  if (s.data.get("originating")) {
    s.setState(CS.CONSUME_MEDIA);
    return;
  }
  const ext = s.host.route(s);
  if (!ext) {
    s.hangup("NO_ROUTE_DESTINATION");
    return;
  }
  s.extension = [...ext];
  s.setState(CS.EXECUTE);
}

/** Runs the extension's applications; with nothing left to run, the call ends. */
async function onExecute(s: Session): Promise<void> {
  const ch = s.channel;
  ch.setVar("call_uuid", ch.getVar("call_uuid") ?? ch.uuid);
  const apps = s.extension;
  s.extension = [];
  for (const { app, arg } of apps) {
    if (!s.ready || ch.state !== CS.EXECUTE) break;
    await s.exec(app, arg);
  }
  if (s.ready && ch.state === CS.EXECUTE) s.hangup("NORMAL_CLEARING");
}

/** `switch_core_session_hangup_state`. */
function hangupState(s: Session): void {
  const ch = s.channel;
  if (ch.profile) ch.profile.times.hungup = Math.floor(s.clock.now() * 1000);
  setHangupVariables(s);
  ch.setCallState("HANGUP");
  s.hooks.onHangup?.(s);
}

/** `switch_core_session_reporting_state`: CHANNEL_HANGUP_COMPLETE. */
function reportingState(s: Session): void {
  const ch = s.channel;
  s.hooks.onReporting?.(s);
  const ev = s.host.bus.create("CHANNEL_HANGUP_COMPLETE", SRC.hangupComplete);
  ev.add("Hangup-Cause", ch.hangupCause ?? "NORMAL_CLEARING");
  ch.addData(ev);
  s.host.bus.fire(ev);
}
