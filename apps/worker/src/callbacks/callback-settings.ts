import type { CallbackBackoff } from "@ringflow/db";

/** How the worker stores and works through callback requests (`CALLBACK_*` in the environment). */
export interface CallbackSettings {
  /**
   * The customer's dial string, with `{number}` where the number goes
   * (e.g. `sofia/gateway/carrier/{number}`, or `loopback/{number}/default`
   * to go through the dialplan as the agents' `user/...` contacts do).
   */
  readonly dialTemplate: string;
  /** How long a claim holds a request unless renewed (renewed every third of it). */
  readonly leaseMs: number;
  /** How often the dispatcher looks for due requests and expired leases. */
  readonly pollMs: number;
  /** Requests this worker works on at once (waiting in line or dialling); 0: this worker dispatches none. */
  readonly maxActive: number;
  /** Customers dialled per queue per minute, across workers. */
  readonly dialsPerMinute: number;
  /** Attempts a request gets when the flow does not say. */
  readonly maxAttempts: number;
  /** Waits between attempts that did not reach the customer. */
  readonly backoff: CallbackBackoff;
  /** A request found outside its queue's opening hours is looked at again this much later. */
  readonly closedRecheckMs: number;
  /** A request whose slot found no agent answering waits this long before it joins the line again. */
  readonly noAgentRetryMs: number;
  /** How long the customer's phone rings. */
  readonly customerRingMs: number;
}

/** Defaults of {@link CallbackSettings}. */
export const DEFAULT_CALLBACK_SETTINGS: CallbackSettings = {
  dialTemplate: "loopback/{number}/default",
  leaseMs: 30_000,
  pollMs: 2_000,
  maxActive: 20,
  dialsPerMinute: 6,
  maxAttempts: 3,
  backoff: { initialMs: 60_000, maxMs: 30 * 60_000 },
  closedRecheckMs: 60_000,
  noAgentRetryMs: 30_000,
  customerRingMs: 30_000,
};

/** What a callback number may hold: digits, an optional leading `+`, `*` and `#`. */
const CALLBACK_NUMBER = /^\+?[0-9*#]{1,32}$/;

/** Whether `number` may be put into a dial string (nothing a dial string would read as syntax). */
export function isDiallableNumber(number: string): boolean {
  return CALLBACK_NUMBER.test(number);
}

/**
 * The customer's dial string: `template` with every `{number}` replaced.
 * @throws {RangeError} for a number that is not digits (see {@link isDiallableNumber}).
 */
export function customerDialString(template: string, number: string): string {
  if (!isDiallableNumber(number)) {
    throw new RangeError(`not a number that can be dialled: ${JSON.stringify(number)}`);
  }
  return template.replaceAll("{number}", number);
}
