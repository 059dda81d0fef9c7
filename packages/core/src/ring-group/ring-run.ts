import type { AgentRingResult } from "../agents/agent.js";
import type { LoadBalancer, LoadReservation } from "../balancer/load-balancer.js";
import type { CallControl, LegOutcome, OutboundLeg } from "../call-control/call-control.js";
import { type HangupCause, HangupCauses } from "../call-control/hangup-cause.js";
import { type Clock, systemClock } from "../clock.js";
import type { RingGroupOptions } from "./ring-group-options.js";
import { RingMode } from "./ring-mode.js";
import {
  type AnsweredLeg,
  outcomeOfCause,
  type RingAttempt,
  type RingGroupResult,
  type RungAttempt,
  type RungOutcome,
  resultOfAttempts,
} from "./ring-result.js";

const defaultTimeoutMs = 30_000;

/** One destination about to ring, ringing, or rung. */
interface Offer {
  readonly destination: string;
  readonly uuid: string;
  readonly agentId: string | null;
  readonly reservation: LoadReservation | null;
  leg: OutboundLeg | null;
  /** Set once the ring group has decided to end this leg. */
  dropped: { readonly outcome: RungOutcome; readonly cause: HangupCause } | null;
}

interface Winner {
  readonly offer: Offer;
  readonly leg: OutboundLeg;
  readonly answeredAt: number;
  readonly attemptIndex: number;
}

/** One run of a ring group: the state shared by its legs. */
export class RingRun {
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly deadline: number;
  private readonly onError: (error: unknown) => void;
  private readonly attempts: RingAttempt[] = [];
  private readonly active = new Set<Offer>();
  private readonly requests: Promise<void>[] = [];
  private winner: Winner | null = null;
  private cancelled = false;

  constructor(
    private readonly callControl: CallControl,
    private readonly destinations: readonly string[],
    private readonly mode: RingMode,
    private readonly options: RingGroupOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this.deadline =
      options.totalTimeoutMs === undefined
        ? Number.POSITIVE_INFINITY
        : this.clock.now() + options.totalTimeoutMs;
    this.onError = options.onError ?? ((error) => console.error("RingGroup:", error));
  }

  async run(): Promise<RingGroupResult> {
    const { signal } = this.options;
    if (signal?.aborted) return { result: "cancelled", attempts: [] };
    const onAbort = () => this.cancelAll();
    signal?.addEventListener("abort", onAbort);
    try {
      switch (this.mode) {
        case RingMode.Parallel:
          await this.ringParallel();
          break;
        case RingMode.Sequential:
          await this.ringInOrder();
          break;
        case RingMode.Balancing:
          await this.ringBalancing(this.options.balancer as LoadBalancer);
          break;
      }
      return await this.finish();
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  private async ringParallel(): Promise<void> {
    const prepared = await Promise.allSettled(this.destinations.map((d) => this.prepare(d)));
    const offers = prepared.flatMap((p) => (p.status === "fulfilled" && p.value ? [p.value] : []));
    const failure = prepared.find((p) => p.status === "rejected");
    if (failure || this.cancelled) {
      await Promise.all(offers.map((o) => this.abandon(o)));
      if (failure) throw failure.reason;
      return;
    }
    const timeoutMs = this.legTimeout();
    // Every originate is sent before any of them is awaited: they ring together.
    await Promise.all(offers.map((offer) => this.ringOffer(offer, timeoutMs)));
  }

  private async ringInOrder(): Promise<void> {
    for (const destination of this.destinations) {
      if (this.isOver()) return;
      const offer = await this.prepare(destination);
      if (offer) await this.ringOrAbandon(offer);
    }
  }

  private async ringBalancing(balancer: LoadBalancer): Promise<void> {
    const remaining = [...this.destinations];
    while (remaining.length > 0 && !this.isOver()) {
      const reservation = await balancer.reserveLeastBusy(remaining);
      if (!reservation) return;
      remaining.splice(remaining.indexOf(reservation.destination), 1);
      const offer = await this.prepare(reservation.destination, reservation);
      if (offer) await this.ringOrAbandon(offer);
    }
  }

  private async ringOrAbandon(offer: Offer): Promise<void> {
    const timeoutMs = this.legTimeout();
    if (this.cancelled || timeoutMs <= 0) await this.abandon(offer);
    else await this.ringOffer(offer, timeoutMs);
  }

  private isOver(): boolean {
    return this.winner !== null || this.cancelled || this.legTimeout() <= 0;
  }

  private legTimeout(): number {
    return Math.min(this.timeoutMs, this.deadline - this.clock.now());
  }

  /**
   * Claims the destination's agent and counts its load. Returns null (after
   * recording why) when the agent cannot take a call. `reservation` is the
   * count a balancing pick already made.
   */
  private async prepare(destination: string, reservation?: LoadReservation): Promise<Offer | null> {
    const uuid = crypto.randomUUID();
    let agentId: string | null = null;
    const { agents, balancer } = this.options;
    try {
      if (agents) {
        const claim = await agents.claim({ contact: destination, uuid });
        if (claim.claimed) {
          agentId = claim.agentId;
        } else if (claim.agentId !== null) {
          this.attempts.push({
            outcome: "skipped",
            destination,
            agentId: claim.agentId,
            reason: claim.reason,
            status: claim.status,
            state: claim.state,
            at: this.clock.now(),
          });
          await reservation?.release().catch(this.onError);
          return null;
        }
      }
    } catch (error) {
      await reservation?.release().catch(this.onError);
      throw error;
    }
    try {
      return {
        destination,
        uuid,
        agentId,
        reservation: reservation ?? (balancer ? await balancer.reserve(destination) : null),
        leg: null,
        dropped: null,
      };
    } catch (error) {
      if (agentId !== null) await this.finishAgent(agentId, uuid, "released");
      throw error;
    }
  }

  /** Gives back what {@link prepare} took, for an offer that will not ring. */
  private async abandon(offer: Offer): Promise<void> {
    if (offer.agentId !== null) await this.finishAgent(offer.agentId, offer.uuid, "released");
    await offer.reservation?.release().catch(this.onError);
  }

  /** Rings one offer until it answers or stops ringing, and records how it went. */
  private async ringOffer(offer: Offer, timeoutMs: number): Promise<void> {
    const startedAt = this.clock.now();
    this.active.add(offer);
    const timer = this.clock.setTimeout(
      () => this.drop(offer, "noAnswer", HangupCauses.NoAnswer),
      timeoutMs,
    );
    let leg: OutboundLeg;
    try {
      leg = await this.callControl.originate({
        uuid: offer.uuid,
        destination: offer.destination,
        timeoutMs,
        ...(this.options.variables ? { variables: this.options.variables } : {}),
      });
    } catch (error) {
      timer.cancel();
      this.active.delete(offer);
      this.attempts.push(this.attempt(offer, "failed", null, startedAt, { error }));
      await this.abandon(offer);
      return;
    }
    offer.leg = leg;
    // Dropped while the originate was in flight: the hangup by uuid may have
    // reached the switch before the channel existed, so send it again.
    if (offer.dropped) this.request(leg.hangup(offer.dropped.cause));
    const outcome = await leg.outcome;
    timer.cancel();
    await this.settle(offer, leg, outcome, startedAt);
  }

  private async settle(
    offer: Offer,
    leg: OutboundLeg,
    outcome: LegOutcome,
    startedAt: number,
  ): Promise<void> {
    if (outcome.answered && !offer.dropped && !this.cancelled && !this.winner) {
      this.winner = {
        offer,
        leg,
        answeredAt: this.clock.now(),
        attemptIndex: this.attempts.push(this.attempt(offer, "answered", null, startedAt)) - 1,
      };
      for (const other of this.active) {
        if (other !== offer) this.drop(other, "lostRace", HangupCauses.LoseRace);
      }
      return;
    }
    this.active.delete(offer);
    let kind: RungOutcome;
    let cause: HangupCause;
    if (outcome.answered) {
      // Answered too late: another leg won, the caller left, or our own
      // timeout had already sent the hangup. Nobody may be left on the line.
      if (!offer.dropped) {
        if (this.cancelled) this.drop(offer, "cancelled", HangupCauses.OriginatorCancel);
        else this.drop(offer, "lostRace", HangupCauses.LoseRace);
      }
      const dropped = offer.dropped as NonNullable<Offer["dropped"]>;
      this.request(leg.hangup(dropped.cause));
      ({ outcome: kind, cause } = dropped);
    } else {
      cause = outcome.cause;
      kind = offer.dropped?.outcome ?? outcomeOfCause(cause);
    }
    this.attempts.push(this.attempt(offer, kind, cause, startedAt));
    this.releaseOnEnd(offer, leg);
    if (offer.agentId !== null) {
      await this.finishAgent(
        offer.agentId,
        offer.uuid,
        kind === "noAnswer" ? "missed" : "released",
      );
    }
  }

  /** Ends a leg the ring group no longer wants; safe to call more than once. */
  private drop(offer: Offer, outcome: RungOutcome, cause: HangupCause): void {
    if (offer.dropped) return;
    offer.dropped = { outcome, cause };
    this.request(offer.leg ? offer.leg.hangup(cause) : this.callControl.hangup(offer.uuid, cause));
  }

  /** The caller hung up: every leg, ringing or already answered, goes at once. */
  private cancelAll(): void {
    this.cancelled = true;
    for (const offer of this.active) this.drop(offer, "cancelled", HangupCauses.OriginatorCancel);
  }

  private request(sent: Promise<void>): void {
    this.requests.push(sent.catch(this.onError));
  }

  private releaseOnEnd(offer: Offer, leg: OutboundLeg): void {
    const { reservation } = offer;
    if (reservation) void leg.ended.then(() => reservation.release()).catch(this.onError);
  }

  private async finishAgent(agentId: string, uuid: string, result: AgentRingResult): Promise<void> {
    try {
      await this.options.agents?.finishRinging({ agentId, uuid, result });
    } catch (error) {
      this.onError(error);
    }
  }

  private attempt(
    offer: Offer,
    outcome: RungOutcome,
    cause: HangupCause | null,
    startedAt: number,
    extra: { error?: unknown } = {},
  ): RungAttempt {
    return {
      outcome,
      destination: offer.destination,
      agentId: offer.agentId,
      uuid: offer.uuid,
      startedAt,
      rangForMs: this.clock.now() - startedAt,
      cause,
      ...extra,
    };
  }

  private async finish(): Promise<RingGroupResult> {
    const winner = this.winner;
    let delivered = false;
    if (winner && !this.cancelled && winner.offer.agentId !== null) {
      await this.finishAgent(winner.offer.agentId, winner.offer.uuid, "answered");
      delivered = true;
    }
    await Promise.all(this.requests);
    // Nothing below awaits before returning: an abort from here on is the
    // caller's business, who now owns the answered leg.
    if (winner) {
      const { offer, leg } = winner;
      this.active.delete(offer);
      this.releaseOnEnd(offer, leg);
      const { agents } = this.options;
      if (delivered && agents && offer.agentId !== null) {
        const agentId = offer.agentId;
        void leg.ended
          .then(() => agents.endCall({ agentId, uuid: offer.uuid }))
          .catch(this.onError);
      }
      if (this.cancelled) {
        const answered = this.attempts[winner.attemptIndex] as RungAttempt;
        this.attempts[winner.attemptIndex] = {
          ...answered,
          outcome: "cancelled",
          cause: HangupCauses.OriginatorCancel,
        };
        if (!delivered && offer.agentId !== null) {
          await this.finishAgent(offer.agentId, offer.uuid, "released");
        }
      } else {
        return { result: "answered", leg: answeredLeg(winner), attempts: this.attempts };
      }
    }
    return {
      result: this.cancelled ? "cancelled" : resultOfAttempts(this.attempts),
      attempts: this.attempts,
    };
  }
}

function answeredLeg(winner: Winner): AnsweredLeg {
  const { offer, leg } = winner;
  return {
    uuid: leg.uuid,
    destination: offer.destination,
    agentId: offer.agentId,
    answeredAt: winner.answeredAt,
    ended: leg.ended,
    hangup: (cause) => leg.hangup(cause),
    onHangup(listener) {
      let subscribed = true;
      void leg.ended.then((cause) => {
        if (subscribed) listener(cause);
      });
      return () => {
        subscribed = false;
      };
    },
  };
}
