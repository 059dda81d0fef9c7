export { InvalidRingGroupOptionsError } from "./errors.js";
export { RingGroup } from "./ring-group.js";
export type { RingGroupOptions } from "./ring-group-options.js";
export { RingMode } from "./ring-mode.js";
export type {
  AnsweredLeg,
  RingAttempt,
  RingGroupResult,
  RingGroupResultKind,
  RungAttempt,
  RungOutcome,
  SkippedAttempt,
} from "./ring-result.js";
