import { CS } from "../core/states.js";
import type { Endpoint, LegRequest } from "./endpoint.js";
import { createOriginatedLeg } from "./originated-leg.js";

/** `null/<x>`: a leg that answers at once and carries no media. */
export const nullEndpoint: Endpoint = {
  name: "null",
  create(req: LegRequest) {
    const s = createOriginatedLeg(req, {
      name: `null/${req.target}`,
      endpointName: "null",
      profile: { source: "mod_loopback" },
      hooks: {
        onInit: (leg) => leg.setState(CS.ROUTING),
        onConsumeMedia: (leg) => {
          leg.markAnswered();
        },
      },
    });
    return { session: s };
  },
};
