import type { QueueTicket } from "../backend.js";
import { TicketGrant } from "../ticket-grant.js";

/**
 * Where this process's entry stands, as far as it knows: `joining` until the
 * enqueue reply, then `waiting` or `holding`, and `gone` once it left, was
 * released or was lost.
 */
export type RedisTicketState = "joining" | "waiting" | "holding" | "gone";

/** What a {@link RedisTicket} asks of its backend. */
export interface RedisTicketOwner {
  /** Takes the entry out of Redis; `release` records its hold time. */
  remove(ticket: RedisTicket, release: boolean): Promise<void>;
}

/** This process's handle on one entry in Redis. */
export class RedisTicket extends TicketGrant implements QueueTicket {
  state: RedisTicketState = "joining";
  /** A grant message arrived before the enqueue reply did (an offer, to claim). */
  grantedEarly = false;
  /** One of this process's releases granted it outright before the enqueue reply arrived. */
  heldEarly = false;
  /** A claim of its grant is on its way to Redis. */
  claiming = false;
  position: number | null = null;
  /** Its place in Redis's line (priority and arrival) while waiting, kept to restore it. */
  score: string | undefined;

  constructor(
    private readonly owner: RedisTicketOwner,
    readonly queueId: string,
    readonly itemId: string,
    /** Owner-local id; what grant messages carry. */
    readonly id: string,
    readonly enqueuedAt: number,
    /** The limit it asked for, to record again if Redis lost the queue. */
    readonly maxConcurrent: number,
  ) {
    super();
  }

  cancel(): Promise<void> {
    return this.owner.remove(this, false);
  }

  release(): Promise<void> {
    return this.owner.remove(this, true);
  }

  markGranted(at: number): void {
    this.state = "holding";
    this.settleGranted(at);
  }

  fail(error: Error): void {
    this.state = "gone";
    this.settleFailed(error);
  }
}
