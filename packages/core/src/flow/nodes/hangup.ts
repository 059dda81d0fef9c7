import { z } from "zod";
import { HangupCauses } from "../../call-control/hangup-cause.js";
import { nodeLabelSchema } from "../fields.js";
import { defineNodeType } from "../node-type.js";

/** The hang-up causes an admin may choose: what the caller's phone or carrier is told. */
export const hangupNodeCauses = [
  HangupCauses.NormalClearing,
  HangupCauses.UserBusy,
  HangupCauses.CallRejected,
  HangupCauses.NoAnswer,
  HangupCauses.UnallocatedNumber,
  HangupCauses.NoRouteDestination,
  HangupCauses.NormalTemporaryFailure,
] as const;

/** Config of a `hangup` node. */
export const hangupDataSchema = z.object({
  label: nodeLabelSchema,
  cause: z
    .enum(hangupNodeCauses)
    .default(HangupCauses.NormalClearing)
    .describe("Hang-up cause sent to the caller's side; NORMAL_CLEARING for an ordinary end"),
});

/** A parsed `hangup` node config. */
export type HangupData = z.output<typeof hangupDataSchema>;

/** Ends the call. */
export const hangupNodeType = defineNodeType({
  type: "hangup",
  label: "Hang up",
  description: "Ends the call.",
  icon: "phone-off",
  category: "end",
  dataSchema: hangupDataSchema,
  defaultData: { cause: HangupCauses.NormalClearing },
  outputs: () => [],
  terminal: true,
  waits: false,
  acceptsInput: true,
});
