import { RingflowError } from "@ringflow/core";
import type { CallbackRequestInput, CallbackRequests } from "@ringflow/core/interpreter";
import type { CallbackRequest, Db } from "@ringflow/db";
import type { Logger } from "../logger.js";
import { isDiallableNumber } from "./callback-settings.js";

/** Core's `CallbackRequestInput`, and the flow version when the caller knows it. */
export type CallbackIntakeInput = CallbackRequestInput & {
  /** The flow version the call runs; looked up from the call's record when absent. */
  readonly flowVersionId?: string | null;
};

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
export class CallbackIntake implements CallbackRequests {
  constructor(
    private readonly options: {
      readonly db: Pick<Db<unknown>, "callbacks" | "calls">;
      readonly log: Logger;
      /** Told when a new request of `queueId` was stored (the wall-board's counts). */
      readonly onStored?: (queueId: string) => void;
    },
  ) {}

  /**
   * Core's port: stores the request (see {@link store}).
   * @throws {InvalidCallbackNumberError} for a number that is not digits.
   */
  async request(input: CallbackRequestInput): Promise<void> {
    await this.store(input);
  }

  /**
   * Stores the request and returns it (or the one already open for the number).
   * @throws {InvalidCallbackNumberError} for a number that is not digits.
   */
  async store(input: CallbackIntakeInput): Promise<CallbackRequest> {
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
    if (created) this.options.onStored?.(request.queueId);
    log.info(
      { callback: request.id, queueId: request.queueId, callUuid: input.callUuid, created },
      created ? "callback request stored" : "callback already requested for this number",
    );
    return request;
  }
}
