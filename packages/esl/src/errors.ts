import { RingflowError } from "@ringflow/core";
import type { EslEvent } from "./esl-event.js";

/** Base class of every error this package throws on purpose. */
export abstract class EslError extends RingflowError {}

/** The TCP connection (or the inbound handshake) could not be established. */
export class EslConnectionError extends EslError {
  readonly code = "ESL_CONNECTION";
}

/** FreeSWITCH rejected the Event Socket password (`-ERR invalid`). */
export class EslAuthError extends EslError {
  readonly code = "ESL_AUTH";
}

/**
 * FreeSWITCH's ACL refused this client (`text/rude-rejection`): add the
 * client's address to `apply-inbound-acl` in event_socket.conf.xml.
 */
export class EslAccessDeniedError extends EslError {
  readonly code = "ESL_ACCESS_DENIED";
}

/** The connection is closed, or was lost while the request was pending. */
export class EslDisconnectedError extends EslError {
  readonly code = "ESL_DISCONNECTED";
}

/**
 * No reply arrived within the command's timeout. `written` tells the two
 * cases apart: `false`, the command waited that long for a free slot and
 * was dropped unsent (the switch never saw it); `true`, it was written and
 * its reply did not come within the timeout counted from the write (the
 * switch may well have carried it out).
 */
export class EslTimeoutError extends EslError {
  readonly code = "ESL_TIMEOUT";

  constructor(
    /** The command line that went unanswered. */
    readonly command: string,
    readonly timeoutMs: number,
    readonly written = true,
  ) {
    super(
      written
        ? `no reply to "${command}" within ${timeoutMs} ms of writing it`
        : `"${command}" waited ${timeoutMs} ms for a free slot and was dropped unsent`,
    );
  }
}

/**
 * The connection's line of commands waiting for a free slot is full
 * (`maxQueuedCommands`): the command was refused at once, unsent, so that a
 * connection whose replies lag does not pile up work it will give up on.
 */
export class EslOverloadedError extends EslError {
  readonly code = "ESL_OVERLOADED";

  constructor(
    readonly command: string,
    readonly maxQueued: number,
  ) {
    super(`"${command}" refused unsent: ${maxQueued} commands already wait for a free slot`);
  }
}

/** FreeSWITCH answered a command with something other than `+OK`. */
export class EslCommandError extends EslError {
  readonly code = "ESL_COMMAND_REJECTED";

  constructor(
    readonly command: string,
    /** What FreeSWITCH replied (Reply-Text, or the api/response body). */
    readonly reply: string,
  ) {
    super(`"${command}" was rejected: ${reply.trim()}`);
  }
}

/**
 * An outbound socket was not opened with `async full`: this package needs
 * `<action application="socket" data="host:port async full"/>`.
 */
export class EslSocketModeError extends EslError {
  readonly code = "ESL_SOCKET_MODE";

  constructor(
    /** `Socket-Mode` from the connect reply: `async` or `static`. */
    readonly socketMode: string,
    /** `Control` from the connect reply: `full` or `single-channel`. */
    readonly control: string,
  ) {
    super(
      `outbound socket is "${socketMode} ${control}"; the dialplan must say ` +
        `<action application="socket" data="host:port async full"/>`,
    );
  }
}

/** The channel ended before the application sent to it completed. */
export class EslChannelGoneError extends EslError {
  readonly code = "ESL_CHANNEL_GONE";
}

/**
 * FreeSWITCH handed over a call whose channel hung up before the session
 * was set up (the caller gave up while the call waited to be taken): the
 * socket's disconnect notice named the channel, nothing else is known.
 */
export class EslCallEndedBeforeSetupError extends EslError {
  readonly code = "ESL_CALL_ENDED_BEFORE_SETUP";

  constructor(
    /** The channel's uuid, from the notice's `Controlled-Session-UUID`. */
    readonly uuid: string,
    options: {
      readonly cause?: unknown;
      /** The connect reply's CHANNEL_DATA, when it came before the hang-up. */
      readonly channelData?: EslEvent;
    } = {},
  ) {
    super(`call ${uuid} hung up before its session was set up`, { cause: options.cause });
    this.channelData = options.channelData;
  }

  /** The connect reply's CHANNEL_DATA, when it came before the hang-up. */
  readonly channelData: EslEvent | undefined;
}

/** A value cannot be sent safely (line break, bad variable name, ...). */
export class EslInvalidArgumentError extends EslError {
  readonly code = "ESL_INVALID_ARGUMENT";
}

/** FreeSWITCH sent something this client cannot place (e.g. a reply nobody asked for). */
export class EslProtocolError extends EslError {
  readonly code = "ESL_PROTOCOL";
}

/** Why a connection's bytes were refused. */
export type MalformedReason = "tooLarge" | "notEsl";

/**
 * The peer sent what cannot be an ESL message — bytes that are not header
 * lines (`notEsl`), or a message larger than the reader accepts
 * (`tooLarge`); the connection was closed.
 */
export class EslMalformedMessageError extends EslError {
  readonly code = "ESL_MALFORMED";

  constructor(
    readonly reason: MalformedReason,
    message: string,
  ) {
    super(message);
  }
}

/** An event handler registered by the application threw; the connection carried on. */
export class EslHandlerError extends EslError {
  readonly code = "ESL_HANDLER";
}
