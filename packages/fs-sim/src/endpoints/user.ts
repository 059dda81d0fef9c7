import type { Session } from "../core/session.js";
import { CS } from "../core/states.js";
import type { AgentBehaviour, Directory } from "../scripting/directory.js";
import type { Endpoint, LegRequest } from "./endpoint.js";
import { createOriginatedLeg, originateEarlyMedia } from "./originated-leg.js";
import { remoteBye, sofiaOutbound } from "./sofia-leg.js";

/**
 * `user/<id>`: looks the user up in the directory (SUBSCRIBER_ABSENT if
 * unknown, USER_NOT_REGISTERED if not registered) and calls its phone over a
 * sofia-like leg whose far end follows the user's scripted behaviour.
 */
export function userEndpoint(directory: Directory): Endpoint {
  return {
    name: "user",
    create(req: LegRequest) {
      const id = req.target.split("@")[0] ?? "";
      const user = directory.get(id);
      if (!user) return { cause: "SUBSCRIBER_ABSENT" };
      if (!user.registered) return { cause: "USER_NOT_REGISTERED" };
      const behaviour = directory.nextBehaviour(id);
      const contact = {
        user: id,
        domain: directory.domain,
        host: "127.0.0.1",
        port: user.contactPort,
      };
      const dirVars = directory.variablesOf(id);
      const legVars = req.legVarNames.size > 0;
      const session = createOriginatedLeg(req, {
        name: `sofia/internal/${id}@${contact.host}:${contact.port}`,
        endpointName: "user",
        codecs: false,
        profile: { source: "src/switch_ivr_originate.c" },
        hooks: {
          onInit: (s) => s.setState(CS.ROUTING),
          onConsumeMedia: (s) => runPhone(s, behaviour),
          onReporting: (s) => sofiaOutbound.reporting(s),
        },
        setVars: (s) =>
          sofiaOutbound.create(
            s,
            contact,
            (ch) => {
              if (!legVars) for (const [k, v] of req.vars) ch.setVar(k, v);
              ch.setVar("dialed_user", id);
              ch.setVar("dialed_domain", directory.domain);
              ch.setVar("sip_invite_domain", directory.domain);
              ch.setVar("presence_id", `${id}@${directory.domain}`);
              if (legVars) {
                for (const [k, v] of dirVars) ch.setVar(k, v);
                for (const [k, v] of req.vars) ch.setVar(k, v);
              }
            },
            (ch) => {
              ch.setVar("originate_early_media", originateEarlyMedia(req.vars));
              ch.setVar("originate_endpoint", legVars ? "user" : "sofia");
            },
          ),
      });
      if (!legVars) {
        // originate applies the user's directory variables and the dial string's again once answered.
        session.data.set("afterOriginate", (s: Session) => {
          for (const [k, v] of dirVars) s.channel.setVar(k, v);
          for (const [k, v] of req.vars) s.channel.setVar(k, v);
          s.channel.setVar("originate_early_media", originateEarlyMedia(req.vars));
          s.channel.setVar("originate_endpoint", "user");
        });
      }
      session.data.set("dialed_user", id);
      return { session };
    },
  };
}

/** Plays the phone's side of the call from the INVITE on. */
function runPhone(s: Session, b: AgentBehaviour): void {
  const clock = s.clock;
  // `fn` gets the simulated instant it was due, however late the timer fired.
  const at = (ms: number | undefined | null, fn: (due: number) => void) => {
    if (ms === undefined || ms === null) return;
    const due = clock.now() + ms;
    clock.setTimeout(() => {
      if (s.ready) fn(due);
    }, ms);
  };
  at(b.busyAfterMs, () => {
    sofiaOutbound.refused(s, 486, "Busy Here", 17);
    s.hangup("USER_BUSY");
  });
  at(b.rejectAfterMs, () => {
    sofiaOutbound.refused(s, 603, "Decline", 21);
    s.hangup("CALL_REJECTED");
  });
  if (b.busyAfterMs !== undefined || b.rejectAfterMs !== undefined) return;
  at(b.ringAfterMs ?? 0, () => {
    sofiaOutbound.dialog(s);
    s.markRingReady();
  });
  at(b.earlyMediaAfterMs, () => {
    sofiaOutbound.media(s);
    s.markPreAnswered();
  });
  at(b.answerAfterMs, () => {
    sofiaOutbound.media(s);
    s.markAnswered();
    at(b.hangupAfterMs, (due) => remoteBye(s, due));
  });
}
