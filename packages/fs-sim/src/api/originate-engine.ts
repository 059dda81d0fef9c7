import { isTrue } from "../core/private-message.js";
import type { Session } from "../core/session.js";
import type { SimCore } from "../core/sim-core.js";
import type { Endpoint } from "../endpoints/endpoint.js";
import { type DialLeg, parseDialString } from "./dial-string.js";

/** Options for {@link ivrOriginate}. */
export interface OriginateRequest {
  core: SimCore;
  endpoints: ReadonlyMap<string, Endpoint>;
  dialString: string;
  callerIdName?: string;
  callerIdNumber?: string;
  /** The originate API's timeout argument, in seconds. */
  timeoutSec?: number;
  /** For `bridge`: the A leg; its hangup cancels the attempt (ORIGINATOR_CANCEL). */
  originator?: Session;
  /** Variables the originator exports to the new legs. */
  inherited?: ReadonlyMap<string, string>;
  /** Called for each leg once it exists (before its thread starts). */
  onLeg?: (leg: Session, spec: DialLeg) => void;
}

/** The answered (or early-media) leg, or the failure cause. */
export type OriginateOutcome =
  | { ok: true; session: Session; early: boolean }
  | { ok: false; cause: string };

interface Active {
  session: Session;
  deadline: number | undefined;
}

/**
 * `switch_ivr_originate`: rings the legs of each `|` group together (`,`),
 * the first to answer wins and the rest get LOSE_RACE; originate_timeout
 * ends ringing legs with NO_ANSWER, a per-leg leg_timeout with
 * ALLOTTED_TIMEOUT; early media wins unless ignore_early_media is true.
 */
export async function ivrOriginate(req: OriginateRequest): Promise<OriginateOutcome> {
  const { core } = req;
  const ds = parseDialString(req.dialString);
  let lastCause = "DESTINATION_OUT_OF_ORDER";
  for (const group of ds.groups) {
    const legs: Active[] = [];
    for (const spec of group) {
      // A leg's own [] variables come first, then the {} ones it does not override.
      const vars = new Map<string, string>(spec.vars);
      for (const [k, v] of [...ds.global, ...(req.inherited ?? [])])
        if (!vars.has(k)) vars.set(k, v);
      const slash = spec.endpoint.indexOf("/");
      const epName = slash < 0 ? spec.endpoint : spec.endpoint.slice(0, slash);
      const ep = req.endpoints.get(epName);
      if (!ep) {
        lastCause = "CHAN_NOT_IMPLEMENTED";
        continue;
      }
      const r = ep.create({
        core,
        target: slash < 0 ? "" : spec.endpoint.slice(slash + 1),
        vars,
        legVarNames: new Set(spec.vars.keys()),
        originator: req.originator,
        callerIdName: vars.get("origination_caller_id_name") ?? req.callerIdName,
        callerIdNumber: vars.get("origination_caller_id_number") ?? req.callerIdNumber,
      });
      if ("cause" in r) {
        lastCause = r.cause;
        continue;
      }
      req.onLeg?.(r.session, { endpoint: spec.endpoint, vars });
      const legTimeout = Number.parseFloat(vars.get("leg_timeout") ?? "");
      legs.push({
        session: r.session,
        deadline: legTimeout > 0 ? core.clock.now() + legTimeout * 1000 : undefined,
      });
      core.launch(r.session);
    }
    if (legs.length === 0) continue;
    const outcome = await ringGroup(req, ds.global, legs);
    if (outcome.ok) return outcome;
    lastCause = outcome.cause;
    if (outcome.cause === "ORIGINATOR_CANCEL") return outcome;
  }
  return { ok: false, cause: lastCause };
}

async function ringGroup(
  req: OriginateRequest,
  global: ReadonlyMap<string, string>,
  legs: Active[],
): Promise<OriginateOutcome> {
  const { core } = req;
  const clock = core.clock;
  const timeoutSec =
    Number.parseFloat(global.get("originate_timeout") ?? "") || req.timeoutSec || 60;
  const overall = clock.now() + timeoutSec * 1000;
  const ignoreEarly = isTrue(global.get("ignore_early_media"));
  let lastCause = "NO_ANSWER";
  let wake: (() => void) | undefined;
  const unobserve = [
    ...legs.map((l) => l.session),
    ...(req.originator ? [req.originator] : []),
  ].map((s) => s.observe(() => wake?.()));
  try {
    for (;;) {
      const now = clock.now();
      for (const l of [...legs]) {
        const ch = l.session.channel;
        if (ch.down) {
          legs.splice(legs.indexOf(l), 1);
          lastCause = ch.hangupCause ?? lastCause;
          continue;
        }
        if (ch.answered || (ch.earlyMedia && !ignoreEarly)) {
          for (const other of legs) {
            if (other === l) continue;
            other.session.channel.setVar("group_dial_status", "loser");
            other.session.data.set("call_completed_elsewhere", true);
            other.session.hangup("LOSE_RACE");
          }
          return { ok: true, session: l.session, early: !ch.answered };
        }
        if (l.deadline !== undefined && now >= l.deadline) {
          l.session.hangup("ALLOTTED_TIMEOUT");
        }
      }
      if (req.originator?.channel.down) {
        for (const l of legs) l.session.hangup("ORIGINATOR_CANCEL");
        return { ok: false, cause: "ORIGINATOR_CANCEL" };
      }
      if (legs.length === 0) return { ok: false, cause: lastCause };
      if (now >= overall) {
        for (const l of legs) l.session.hangup("NO_ANSWER");
        return { ok: false, cause: "NO_ANSWER" };
      }
      const next = Math.min(overall, ...legs.map((l) => l.deadline ?? overall));
      await new Promise<void>((resolve) => {
        const t = clock.setTimeout(() => resolve(), Math.max(0, next - clock.now()));
        wake = () => {
          t.cancel();
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    for (const u of unobserve) u();
  }
}
