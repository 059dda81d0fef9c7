export { ScaledClock, type SimClock, sleepOn, type TimerHandle } from "./clock/clock.js";
export { ManualClock } from "./clock/manual-clock.js";
export {
  PHONE_ANSWERS,
  type PhoneAnswer,
  phoneAnswerOf,
  type SimCallRequest,
  type SimChannel,
  SimControlClient,
  SimControlError,
  type SimPhone,
  type SimPhoneBehaviour,
} from "./control/control-client.js";
export { ControlServer } from "./control/control-server.js";
export { Dialplan, type DialplanAction } from "./dialplan/dialplan.js";
export type { CallerSpec } from "./endpoints/sofia-caller.js";
export { FsSim, type FsSimOptions, type PlacedCall } from "./fs-sim.js";
export { applyScenario } from "./scripting/apply-scenario.js";
export type { CallResult, ChannelInfo } from "./scripting/channel-view.js";
export {
  type AgentBehaviour,
  DEFAULT_BEHAVIOUR,
  Directory,
  type DirectoryUser,
  type UserOptions,
} from "./scripting/directory.js";
export {
  loadScenario,
  type Scenario,
  type ScenarioCaller,
  scenarioSchema,
} from "./scripting/scenario.js";
