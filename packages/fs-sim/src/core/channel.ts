import type { FsEvent } from "../protocol/fs-event.js";
import { addProfileHeaders, type CallerProfile } from "./caller-profile.js";
import type { EventBus, EventSource } from "./event-bus.js";
import { CALLSTATES, type CallState, type ChannelState, CS, stateName } from "./states.js";

/** A codec as the Channel-*-Codec-* headers show it. */
export interface Codec {
  readonly name: string;
  readonly rate: number;
  readonly bitRate: number;
}

/** The codec FreeSWITCH's loopback and null legs use. */
export const L16: Codec = { name: "L16", rate: 8000, bitRate: 128000 };

/** Events that carry `variable_*` headers (switch_channel_event_set_extended_data). */
const VERBOSE_EVENTS = new Set([
  "CHANNEL_CREATE",
  "CHANNEL_ORIGINATE",
  "CHANNEL_UUID",
  "CHANNEL_ANSWER",
  "CHANNEL_PARK",
  "CHANNEL_UNPARK",
  "CHANNEL_BRIDGE",
  "CHANNEL_UNBRIDGE",
  "CHANNEL_PROGRESS",
  "CHANNEL_PROGRESS_MEDIA",
  "CHANNEL_HANGUP",
  "CHANNEL_HANGUP_COMPLETE",
  "REQUEST_PARAMS",
  "CHANNEL_DATA",
  "CHANNEL_EXECUTE",
  "CHANNEL_EXECUTE_COMPLETE",
  "CHANNEL_DESTROY",
  "SESSION_HEARTBEAT",
  "API",
  "RECORD_START",
  "RECORD_STOP",
  "PLAYBACK_START",
  "PLAYBACK_STOP",
  "CALL_UPDATE",
  "MEDIA_BUG_START",
  "MEDIA_BUG_STOP",
  "CHANNEL_HOLD",
  "CHANNEL_UNHOLD",
  "TEXT",
  "CUSTOM",
]);

/** Options for a new channel. */
export interface ChannelInit {
  uuid: string;
  name: string;
  direction: "inbound" | "outbound";
  sessionId: number;
}

/**
 * The data side of a FreeSWITCH channel (`switch_channel_t`): states, flags,
 * caller profile, the ordered variable list, and the header block every
 * channel event carries. Behaviour over time lives in {@link Session}.
 */
export class Channel {
  uuid: string;
  name: string;
  readonly direction: "inbound" | "outbound";
  logicalDirection: "inbound" | "outbound";
  readonly sessionId: number;
  state: ChannelState = CS.NEW;
  runningState: ChannelState = CS.NONE;
  callState: CallState = "DOWN";
  answered = false;
  earlyMedia = false;
  ringReady = false;
  /** CF_DIALPLAN: outbound legs that went through a dialplan (after a cid flip). */
  dialplan = false;
  bridged = false;
  bridgeOriginator = false;
  hangupCause: string | undefined;
  readCodec: Codec | undefined;
  writeCodec: Codec | undefined;
  profile: CallerProfile | undefined;
  /** The other leg's profile, shown as Other-Type / Other-Leg-*. */
  other: { type: "originator" | "originatee"; profile: CallerProfile } | undefined;
  /** Channel variables in FreeSWITCH's order: re-setting one moves it to the end. */
  readonly vars = new Map<string, string>();
  /** Applications run so far (last_app / last_arg). */
  lastApp: { app: string; arg?: string } | undefined;

  constructor(
    private readonly bus: EventBus,
    init: ChannelInit,
  ) {
    this.uuid = init.uuid;
    this.name = init.name;
    this.direction = init.direction;
    this.logicalDirection = init.direction;
    this.sessionId = init.sessionId;
  }

  /** `switch_channel_set_variable`: delete, then append unless empty. */
  setVar(name: string, value: string | number | undefined | null): void {
    this.vars.delete(name);
    if (value === undefined || value === null) return;
    const v = String(value);
    if (v !== "") this.vars.set(name, v);
  }

  getVar(name: string): string | undefined {
    return this.vars.get(name);
  }

  /** True once the channel is hung up or beyond. */
  get down(): boolean {
    return this.state >= CS.HANGUP || this.hangupCause !== undefined;
  }

  /** An event for this channel with its basic (and, where FS does, extended) data. */
  event(name: string, source: EventSource, fill?: (ev: FsEvent) => void): FsEvent {
    const ev = this.bus.create(name, source);
    fill?.(ev);
    this.addData(ev);
    return ev;
  }

  /** Creates and fires a channel event. */
  fire(name: string, source: EventSource, fill?: (ev: FsEvent) => void): FsEvent {
    const ev = this.event(name, source, fill);
    this.bus.fire(ev);
    return ev;
  }

  /** `switch_channel_event_set_data`. */
  addData(ev: FsEvent): void {
    this.addBasicData(ev);
    if (VERBOSE_EVENTS.has(ev.name)) this.addVariables(ev);
  }

  /** `switch_channel_event_set_basic_data`. */
  addBasicData(ev: FsEvent): void {
    ev.add("Channel-State", stateName(this.runningState));
    ev.add("Channel-Call-State", this.callState);
    ev.add("Channel-State-Number", this.state);
    ev.add("Channel-Name", this.name);
    ev.add("Unique-ID", this.uuid);
    ev.uniqueId ??= this.uuid;
    ev.add("Call-Direction", this.direction);
    ev.add("Presence-Call-Direction", this.direction);
    ev.add(
      "Channel-HIT-Dialplan",
      this.direction === "inbound" || this.dialplan ? "true" : "false",
    );
    const presenceId = this.vars.get("presence_id");
    if (presenceId) ev.add("Channel-Presence-ID", presenceId);
    ev.add("Channel-Call-UUID", this.vars.get("call_uuid") ?? this.uuid);
    ev.add("Answer-State", this.answerState());
    if (this.hangupCause) ev.add("Hangup-Cause", this.hangupCause);
    const r = this.readCodec;
    if (r) {
      ev.add("Channel-Read-Codec-Name", r.name);
      ev.add("Channel-Read-Codec-Rate", r.rate);
      ev.add("Channel-Read-Codec-Bit-Rate", r.bitRate);
    }
    const w = this.writeCodec;
    if (w) {
      ev.add("Channel-Write-Codec-Name", w.name);
      ev.add("Channel-Write-Codec-Rate", w.rate);
      ev.add("Channel-Write-Codec-Bit-Rate", w.bitRate);
    }
    if (this.profile) addProfileHeaders(ev, this.profile, "Caller");
    if (this.other) {
      ev.add("Other-Type", this.other.type);
      addProfileHeaders(ev, this.other.profile, "Other-Leg");
    }
  }

  /** `variable_*` headers, one per channel variable, in order. */
  addVariables(ev: FsEvent): void {
    for (const [k, v] of this.vars) ev.add(`variable_${k}`, v);
  }

  answerState(): string {
    if (this.state >= CS.HANGUP) return "hangup";
    if (this.answered) return "answered";
    if (this.earlyMedia) return "early";
    return "ringing";
  }

  /** `switch_channel_perform_set_callstate`: fires CHANNEL_CALLSTATE on a change. */
  setCallState(next: CallState): void {
    const prev = this.callState;
    if (prev === next || prev === "HANGUP") return;
    this.callState = next;
    this.fire("CHANNEL_CALLSTATE", SRC.callstate, (ev) => {
      ev.add("Original-Channel-Call-State", prev);
      ev.add("Channel-Call-State-Number", CALLSTATES.indexOf(next));
    });
  }

  /** `switch_channel_perform_set_running_state`: the state machine reached `s`. */
  setRunningState(s: ChannelState): void {
    this.runningState = s;
    if (this.direction === "inbound" && s < CS.HANGUP) {
      if (s === CS.ROUTING) this.setCallState("RINGING");
      else if (this.answered) this.setCallState("ACTIVE");
      else if (this.earlyMedia) this.setCallState("EARLY");
    }
    this.fire("CHANNEL_STATE", SRC.runningState);
  }
}

/** Event-Calling-* of the events FreeSWITCH fires from core code (1.10.12 line numbers). */
export const SRC = {
  runningState: {
    file: "switch_channel.c",
    func: "switch_channel_perform_set_running_state",
    line: 2408,
  },
  callstate: { file: "switch_channel.c", func: "switch_channel_perform_set_callstate", line: 301 },
  create: { file: "switch_core_state_machine.c", func: "switch_core_session_run", line: 626 },
  originate: { file: "switch_core_state_machine.c", func: "switch_core_session_run", line: 632 },
  answer: { file: "switch_channel.c", func: "switch_channel_perform_mark_answered", line: 3846 },
  preAnswer: {
    file: "switch_channel.c",
    func: "switch_channel_perform_mark_pre_answered",
    line: 3560,
  },
  ringReady: {
    file: "switch_channel.c",
    func: "switch_channel_perform_mark_ring_ready_value",
    line: 3505,
  },
  hangup: { file: "switch_channel.c", func: "switch_channel_perform_hangup", line: 3445 },
  hangupComplete: {
    file: "switch_core_state_machine.c",
    func: "switch_core_session_reporting_state",
    line: 943,
  },
  destroy: {
    file: "switch_core_session.c",
    func: "switch_core_session_perform_destroy",
    line: 1584,
  },
  execute: { file: "switch_core_session.c", func: "switch_core_session_exec", line: 2944 },
  executeComplete: { file: "switch_core_session.c", func: "switch_core_session_exec", line: 2967 },
  park: { file: "switch_ivr.c", func: "switch_ivr_park", line: 1002 },
  unpark: { file: "switch_ivr.c", func: "switch_ivr_park", line: 1213 },
  privateCommand: { file: "switch_ivr.c", func: "switch_ivr_parse_next_event", line: 804 },
  uuid: { file: "switch_core_session.c", func: "switch_core_session_set_uuid", line: 2051 },
  outgoing: {
    file: "switch_core_session.c",
    func: "switch_core_session_outgoing_channel",
    line: 768,
  },
  readCodec: {
    file: "switch_core_codec.c",
    func: "switch_core_session_set_read_codec",
    line: 279,
  },
  writeCodec: {
    file: "switch_core_codec.c",
    func: "switch_core_session_set_write_codec",
    line: 450,
  },
  callUpdate: { file: "switch_channel.c", func: "switch_channel_flip_cid", line: 3277 },
  playbackStart: { file: "switch_ivr_play_say.c", func: "switch_ivr_play_file", line: 1646 },
  playbackStop: { file: "switch_ivr_play_say.c", func: "switch_ivr_play_file", line: 2020 },
  channelData: { file: "mod_event_socket.c", func: "parse_command", line: 2021 },
} satisfies Record<string, EventSource>;
