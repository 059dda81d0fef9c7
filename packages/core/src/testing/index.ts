/**
 * @packageDocumentation
 * Test doubles for code built on `@ringflow/core`: a clock that moves only
 * when told to, an in-memory switch behind the `CallControl` port, and an
 * in-memory caller behind the `CallSession` port.
 */
export { FakeCallControl, type FakeCallControlOptions } from "./fake-call-control.js";
export { FakeCallSession, type FakeCallSessionOptions } from "./fake-call-session.js";
export type {
  FakeCallOperation,
  FakeCallOperationName,
  FakeKeyPress,
  FakeMediaSource,
  FakePlayback,
} from "./fake-call-session-types.js";
export type {
  FakeCallEvent,
  FakeChannel,
  FakeChannelState,
  FakeDestinationBehaviour,
} from "./fake-call-types.js";
export { flushMicrotasks, ManualClock } from "./manual-clock.js";
