import type { Session } from "../core/session.js";
import { CS } from "../core/states.js";
import { type Endpoint, type LegRequest, setCodecs } from "./endpoint.js";
import { createOriginatedLeg } from "./originated-leg.js";

/**
 * `loopback/<ext>`: two legs. The `-a` leg is the one originate gets; its
 * init creates the `-b` leg, which runs the dialplan for `<ext>`. Answering
 * `-b` answers `-a`; hanging either up hangs up the other with the same cause.
 */
export const loopbackEndpoint: Endpoint = {
  name: "loopback",
  create(req: LegRequest) {
    const ext = req.target;
    const a = createOriginatedLeg(req, {
      name: `loopback/${ext}-a`,
      endpointName: "loopback",
      profile: { dialplan: "xml", source: "mod_loopback" },
      hooks: {
        onInit: (s) => initA(s, req),
        onHangup: (s) => partnerOf(s)?.hangup(s.channel.hangupCause ?? "NORMAL_CLEARING"),
        onReporting: (s) => s.channel.setVar("is_loopback", 1),
      },
    });
    return { session: a };
  },
};

function partnerOf(s: Session): Session | undefined {
  const uuid = s.data.get("loopback_partner") as string | undefined;
  return uuid ? s.host.session(uuid) : undefined;
}

function initA(a: Session, req: LegRequest): void {
  const core = req.core;
  const ach = a.channel;
  const b = core.newSession({
    name: `loopback/${req.target}-b`,
    direction: "inbound",
    hooks: {
      onInit: (bs) => bs.setState(CS.ROUTING),
      onAnswer: (bs) => partnerOf(bs)?.markAnswered(),
      onPreAnswer: (bs) => partnerOf(bs)?.markPreAnswered(),
      onHangup: (bs) => partnerOf(bs)?.hangup(bs.channel.hangupCause ?? "NORMAL_CLEARING"),
      onReporting: (bs) => bs.channel.setVar("is_loopback", 1),
    },
  });
  const bch = b.channel;
  setCodecs(b);
  const ap = ach.profile;
  bch.profile = core.newProfile(b, {
    direction: "inbound",
    dialplan: "xml",
    callerIdName: ap?.callerIdName,
    origCallerIdName: ap?.callerIdName,
    callerIdNumber: ap?.callerIdNumber,
    origCallerIdNumber: ap?.callerIdNumber,
    calleeIdName: ap?.calleeIdName,
    calleeIdNumber: ap?.calleeIdNumber,
    ani: ap?.ani,
    destinationNumber: req.target,
    source: "mod_loopback",
    context: req.vars.get("context") ?? "default",
  });
  bch.setVar("direction", "inbound");
  bch.setVar("uuid", bch.uuid);
  bch.setVar("call_uuid", bch.uuid);
  bch.setVar("session_id", bch.sessionId);
  bch.setVar("channel_name", bch.name);
  bch.setVar("read_codec", "L16");
  bch.setVar("read_rate", 8000);
  bch.setVar("write_codec", "L16");
  bch.setVar("write_rate", 8000);
  const orig = ach.getVar("origination_uuid");
  if (orig) bch.setVar("origination_uuid", orig);
  bch.setVar("other_loopback_leg_uuid", ach.uuid);
  bch.setVar("loopback_leg", "B");
  ach.setVar("other_loopback_leg_uuid", bch.uuid);
  ach.setVar("loopback_leg", "A");
  a.data.set("loopback_partner", bch.uuid);
  b.data.set("loopback_partner", ach.uuid);
  a.setState(CS.ROUTING);
  bch.state = CS.INIT;
  b.setState(CS.INIT);
  core.launch(b);
}
