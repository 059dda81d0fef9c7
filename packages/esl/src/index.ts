/**
 * @packageDocumentation
 * Typed, promise-based FreeSWITCH Event Socket on top of modesl's parser:
 * an inbound client ({@link connect}), an outbound-socket server
 * ({@link listen}), and core's `CallControl` / `CallSession` ports for
 * FreeSWITCH ({@link FreeswitchCallControl}, {@link EslCallSession}).
 */
export type { BackoffOptions } from "./backoff.js";
export {
  EslAccessDeniedError,
  EslAuthError,
  EslCallEndedBeforeSetupError,
  EslChannelGoneError,
  EslCommandError,
  EslConnectionError,
  EslDisconnectedError,
  EslError,
  EslHandlerError,
  EslInvalidArgumentError,
  EslMalformedMessageError,
  EslOverloadedError,
  EslProtocolError,
  EslSocketModeError,
  EslTimeoutError,
  type MalformedReason,
} from "./errors.js";
export { EslCallSession } from "./esl-call-session.js";
export {
  type ConnectionState,
  type ConnectOptions,
  connect,
  EslConnection,
  type EslEventHandler,
} from "./esl-connection.js";
export { type AnswerState, type ChannelState, EslEvent } from "./esl-event.js";
export {
  CALL_SESSION_EVENTS,
  EslOutboundSession,
  type OutboundSessionOptions,
  type SessionExecuteOptions,
} from "./esl-outbound-session.js";
export { EslServer, type ListenOptions, listen, type SessionHandler } from "./esl-server.js";
export type {
  BackgroundJob,
  BgapiOptions,
  CommandOptions,
  ExecuteOptions,
  SendCommandOptions,
} from "./esl-socket.js";
export {
  DEFAULT_KILL_RETRY_DELAYS_MS,
  FreeswitchCallControl,
  type FreeswitchCallControlOptions,
} from "./freeswitch-call-control.js";
export type { Unsubscribe } from "./handler-set.js";
export { type EslReply, MAX_MESSAGE_BYTES } from "./message-reader.js";
export type { EventFormat } from "./subscriptions.js";
