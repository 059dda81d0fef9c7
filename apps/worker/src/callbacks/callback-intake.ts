import { RingflowError } from "@ringflow/core";
import type { CallbackRequest, Db } from "@ringflow/db";
import type { Logger } from "../logger.js";
import { isDiallableNumber } from "./callback-settings.js";

/**
 * What a queue node's callback offer hands the worker once the caller said
 * yes (the shape of core's `CallbackRequestInput`).
 */
export interface CallbackRequestInput {
  readonly queueId: string;
  readonly number: string;
  readonly callerName: string | null;
  readonly callUuid: string;
  /** When the caller first joined the queue (ms since the epoch): their place. */
  readonly requestedAt: number;
  readonly priority: number;
  readonly maxAttempts: number;
  /** Wait after the first unanswered attempt (doubling after each). */
  readonly retryAfterMs: number;
  /** The queue node the caller was in. */
  readonly flowNodeId: string;
  /** The flow version the call runs; looked up from the call's record when absent. */
  readonly flowVersionId?: string | null;
}

/** The number the caller confirmed or keyed cannot be dialled (not digits). */
export class InvalidCallbackNumberError extends RingflowError {
  readonly code = "INVALID_CALLBACK_NUMBER";
  constructor(readonly number: string) {
    super(`Cannot call back ${JSON.stringify(number)}: not a phone number`);
  }
}

/**
 * Core's callback-request port, over the database: `request` resolves
 * once the request is stored (committed), so the queue node lets the
 * caller go only then; a failure rejects and the caller keeps waiting in
 * line. A second request for a number already waiting in that queue
 * returns the stored one: the caller keeps their first place.
 */
export class CallbackIntake {
  constructor(
    private readonly options: {
      readonly db: Pick<Db<unknown>, "callbacks" | "calls">;
      readonly log: Logger;
    },
  ) {}

  /**
   * Stores the request.
   * @throws {InvalidCallbackNumberError} for a number that is not digits.
   */
  async request(input: CallbackRequestInput): Promise<CallbackRequest> {
    const { db, log } = this.options;
    if (!isDiallableNumber(input.number)) throw new InvalidCallbackNumberError(input.number);
    const flowVersionId =
      input.flowVersionId ??
      (await db.calls.get(input.callUuid).catch(() => null))?.flowVersionId ??
      null;
    const { request, created } = await db.callbacks.create({
      queueId: input.queueId,
      number: input.number,
      callerName: input.callerName,
      requestedAt: new Date(input.requestedAt),
      priority: input.priority,
      maxAttempts: input.maxAttempts,
      retryDelayMs: input.retryAfterMs,
      callUuid: input.callUuid,
      flowVersionId,
      nodeId: input.flowNodeId,
    });
    log.info(
      { callback: request.id, queueId: request.queueId, callUuid: input.callUuid, created },
      created ? "callback request stored" : "callback already requested for this number",
    );
    return request;
  }
}
