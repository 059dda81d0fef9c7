import { L16, SRC } from "../core/channel.js";
import type { Session } from "../core/session.js";
import type { SimCore } from "../core/sim-core.js";

/** What originate asks of an endpoint for one leg. */
export interface LegRequest {
  core: SimCore;
  /** The part after `loopback/`, `null/`, `user/`. */
  target: string;
  /** `{}` and `[]` variables for this leg, in order. */
  vars: Map<string, string>;
  /** Names that came from the leg's own `[]` block. */
  legVarNames: ReadonlySet<string>;
  /** The A leg when a `bridge` places this leg (null for the originate API). */
  originator?: Session;
  callerIdName?: string;
  callerIdNumber?: string;
}

/** A created leg, or the cause it failed with before any channel existed. */
export type LegResult = { session: Session } | { cause: string };

/**
 * A FreeSWITCH endpoint module: creates an outbound leg, and drives it
 * (ringing, answering) from its own logic or a script.
 */
export interface Endpoint {
  readonly name: string;
  create(req: LegRequest): LegResult;
}

/** The CODEC events a new leg fires as its read then write codec is set. */
export function setCodecs(s: Session): void {
  const ch = s.channel;
  const bus = s.host.bus;
  ch.readCodec = L16;
  const r = bus.create("CODEC", SRC.readCodec);
  ch.addData(r);
  r.add("channel-read-codec-name", L16.name);
  r.add("channel-read-codec-rate", L16.rate);
  r.add("channel-read-codec-bit-rate", L16.bitRate);
  bus.fire(r);
  ch.writeCodec = L16;
  const w = bus.create("CODEC", SRC.writeCodec);
  ch.addData(w);
  w.add("Channel-Write-Codec-Name", L16.name);
  w.add("Channel-Write-Codec-Rate", L16.rate);
  w.add("Channel-Write-codec-bit-rate", L16.bitRate);
  bus.fire(w);
}
