/**
 * A callback a caller accepted in a `queue` node: what the host must store
 * so that a dispatcher can later take the caller's place in the same line
 * and call them back.
 */
export interface CallbackRequestInput {
  /** The queue whose line the request keeps its place in. */
  readonly queueId: string;
  /** The number to call back: the caller's own (confirmed with 1) or the one they keyed in. */
  readonly number: string;
  /** The caller's name as the switch gave it; `null` when it gave none. */
  readonly callerName: string | null;
  /** The caller's channel uuid (for the call record). */
  readonly callUuid: string;
  /**
   * When the caller first joined this queue's line (epoch ms, the queue's
   * clock): the place a dispatcher re-joins at (`SlotOptions.requestedAt`).
   */
  readonly requestedAt: number;
  /** The caller's priority in this line (VIP numbers included): the dispatcher joins with it. */
  readonly priority: number;
  /** The node's `callbackMaxAttempts`: dials of the customer before the request fails. */
  readonly maxAttempts: number;
  /** The node's `callbackRetrySeconds` in ms: the wait after an unanswered dial. */
  readonly retryAfterMs: number;
  /** The `queue` node the offer was made in (find the flow's ring group with `callbackRingGroupOf`). */
  readonly flowNodeId: string;
  /** `RunFlowOptions.flowVersionId`: the flow version the call ran; `null` when the host gave none. */
  readonly flowVersionId: string | null;
}

/**
 * Where accepted callbacks are stored: the port the worker implements over
 * its database. The interpreter lets the caller leave the line only once
 * {@link request} resolved; a rejection keeps the caller waiting in place.
 */
export interface CallbackRequests {
  /**
   * Stores the request durably and resolves once it is stored. Idempotent
   * per queue and number: a second open request of the same number in the
   * same queue resolves without adding one. Rejects when it could not
   * store it (nothing was promised to the caller then).
   */
  request(input: CallbackRequestInput): Promise<void>;
}
