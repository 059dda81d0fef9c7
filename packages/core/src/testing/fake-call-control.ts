import type {
  CallControl,
  LegOutcome,
  OriginateRequest,
  OutboundLeg,
} from "../call-control/call-control.js";
import { CallControlError } from "../call-control/errors.js";
import { type HangupCause, HangupCauses } from "../call-control/hangup-cause.js";
import type { Clock, TimerHandle } from "../clock.js";
import type {
  FakeCallEvent,
  FakeChannel,
  FakeChannelState,
  FakeDestinationBehaviour,
} from "./fake-call-types.js";

/** Options of {@link FakeCallControl}. */
export interface FakeCallControlOptions {
  readonly clock: Clock;
  /** Behaviour of destinations nobody scripted (default `absent`, like an unknown `user/x`). */
  readonly unscripted?: FakeDestinationBehaviour;
  /**
   * How long the switch takes to accept an originate (the command's round
   * trip). Default 0. A non-zero value lets a test tell legs rung together
   * from legs rung one after another.
   */
  readonly acceptDelayMs?: number;
}

type Deferred<T> = { promise: Promise<T>; resolve: (value: T) => void };

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

class Channel {
  state: FakeChannelState;
  answeredAt: number | null = null;
  endedAt: number | null = null;
  cause: HangupCause | null = null;
  bridgedTo: string | null = null;
  parkAfterBridge = false;
  readonly timers: TimerHandle[] = [];
  readonly hangupListeners = new Set<(cause: HangupCause) => void>();
  readonly outcome = deferred<LegOutcome>();
  readonly ended = deferred<HangupCause>();

  constructor(
    readonly uuid: string,
    readonly destination: string | null,
    readonly variables: Readonly<Record<string, string>>,
    readonly timeoutMs: number | null,
    readonly createdAt: number,
    readonly behaviour: FakeDestinationBehaviour | null,
    answered: boolean,
  ) {
    this.state = answered ? "answered" : "ringing";
    if (answered) this.answeredAt = createdAt;
  }

  snapshot(): FakeChannel {
    return {
      uuid: this.uuid,
      destination: this.destination,
      variables: this.variables,
      timeoutMs: this.timeoutMs,
      state: this.state,
      createdAt: this.createdAt,
      answeredAt: this.answeredAt,
      endedAt: this.endedAt,
      cause: this.cause,
      bridgedTo: this.bridgedTo,
    };
  }
}

/**
 * An in-memory switch implementing the `CallControl` port, driven by a
 * (manual) clock, for tests of code that rings, bridges and hangs up legs.
 *
 * It behaves as FreeSWITCH does where a caller of the port can tell:
 * - `originate` resolves once the request is accepted, not on answer; the
 *   leg then rings until its behaviour says otherwise or `timeoutMs` passes
 *   (`NO_ANSWER`, as `originate_timeout` gives).
 * - A leg hung up while ringing settles its outcome with the cause sent
 *   (`LOSE_RACE`, `ORIGINATOR_CANCEL`...); hanging up without a cause uses
 *   `NORMAL_CLEARING`, as `uuid_kill` does.
 * - Unregistered and unknown users fail at once and create no channel.
 * - When one leg of a bridge ends, the other is hung up with
 *   `NORMAL_CLEARING` (what a real switch did after `uuid_bridge` + `uuid_kill`),
 *   unless it was added with `parkAfterBridge`: then it is unbridged and
 *   stays up, as a caller with `park_after_bridge=true` does.
 * - Hanging up a channel that is gone, or never existed, is not an error.
 *
 * Two deliberate differences: reusing a uuid rejects with `CallControlError`
 * (FreeSWITCH logs and picks a random uuid, which would hide the bug), and
 * `bridge` only checks that both channels are up.
 */
export class FakeCallControl implements CallControl {
  private readonly clock: Clock;
  private readonly unscripted: FakeDestinationBehaviour;
  private readonly acceptDelayMs: number;
  private readonly scripts = new Map<string, FakeDestinationBehaviour[]>();
  private readonly byUuid = new Map<string, Channel>();
  private readonly usedUuids = new Set<string>();
  private readonly log: FakeCallEvent[] = [];

  constructor(options: FakeCallControlOptions) {
    this.clock = options.clock;
    this.unscripted = options.unscripted ?? { kind: "absent" };
    this.acceptDelayMs = options.acceptDelayMs ?? 0;
  }

  /**
   * Scripts `destination`: each originate to it takes the next behaviour;
   * the last one repeats. Replaces any earlier script for it.
   */
  script(destination: string, ...behaviours: FakeDestinationBehaviour[]): this {
    if (behaviours.length === 0) throw new Error("script() needs at least one behaviour");
    this.scripts.set(destination, [...behaviours]);
    return this;
  }

  /** Every event so far, in order. */
  get events(): readonly FakeCallEvent[] {
    return this.log;
  }

  /** The events of one type, in order. */
  eventsOf<T extends FakeCallEvent["type"]>(type: T): Extract<FakeCallEvent, { type: T }>[] {
    return this.log.filter((e): e is Extract<FakeCallEvent, { type: T }> => e.type === type);
  }

  /** A channel by uuid (any state), or `undefined` if none was created. */
  channel(uuid: string): FakeChannel | undefined {
    return this.byUuid.get(uuid)?.snapshot();
  }

  /** Every channel ever created, in creation order. */
  channels(): FakeChannel[] {
    return [...this.byUuid.values()].map((c) => c.snapshot());
  }

  /** Channels still ringing. */
  ringing(): FakeChannel[] {
    return this.channels().filter((c) => c.state === "ringing");
  }

  /** Channels up (ringing or answered). */
  live(): FakeChannel[] {
    return this.channels().filter((c) => c.state !== "ended");
  }

  /**
   * Adds an answered inbound channel (a caller) that legs can be bridged to.
   * With `parkAfterBridge` it outlives a bridge whose other leg hangs up.
   */
  addCaller(
    options: { uuid?: string; variables?: Record<string, string>; parkAfterBridge?: boolean } = {},
  ): FakeChannel {
    const uuid = options.uuid ?? crypto.randomUUID();
    this.claimUuid(uuid);
    const channel = new Channel(
      uuid,
      null,
      options.variables ?? {},
      null,
      this.clock.now(),
      null,
      true,
    );
    channel.parkAfterBridge = options.parkAfterBridge ?? false;
    this.byUuid.set(uuid, channel);
    return channel.snapshot();
  }

  /**
   * Calls `listener` synchronously when the channel `uuid` ends (after the
   * channel bridged to it has been dealt with). Returns a function that
   * stops listening. Throws if no such channel exists.
   */
  onHangup(uuid: string, listener: (cause: HangupCause) => void): () => void {
    const channel = this.byUuid.get(uuid);
    if (!channel) throw new Error(`onHangup(${uuid}): no channel with that uuid`);
    channel.hangupListeners.add(listener);
    return () => {
      channel.hangupListeners.delete(listener);
    };
  }

  /** Makes a ringing leg answer now (the person picks up). */
  answer(uuid: string): void {
    const channel = this.byUuid.get(uuid);
    if (channel?.state !== "ringing") {
      throw new Error(`answer(${uuid}): no ringing channel with that uuid`);
    }
    this.answerChannel(channel);
  }

  /** The far end hangs up (or, while ringing, declines) with `cause`. */
  hangUpFarEnd(uuid: string, cause: HangupCause = HangupCauses.NormalClearing): void {
    const channel = this.byUuid.get(uuid);
    if (!channel || channel.state === "ended") {
      throw new Error(`hangUpFarEnd(${uuid}): no live channel with that uuid`);
    }
    this.end(channel, cause);
  }

  async originate(request: OriginateRequest): Promise<OutboundLeg> {
    const behaviour = this.nextBehaviour(request.destination);
    const at = this.clock.now();
    if (behaviour.kind === "refuse") {
      this.log.push({
        type: "originateRefused",
        at,
        uuid: request.uuid,
        destination: request.destination,
      });
      await this.accepted();
      throw new CallControlError(behaviour.message ?? "-ERR the switch refused the originate");
    }
    this.claimUuid(request.uuid);
    const variables = { ...request.variables };
    this.log.push({
      type: "originate",
      at,
      uuid: request.uuid,
      destination: request.destination,
      timeoutMs: request.timeoutMs,
      variables,
    });
    const leg = this.startLeg(request, variables, behaviour);
    await this.accepted();
    return leg;
  }

  async bridge(aUuid: string, bUuid: string): Promise<void> {
    const a = this.byUuid.get(aUuid);
    const b = this.byUuid.get(bUuid);
    if (!a || a.state === "ended" || !b || b.state === "ended") {
      throw new CallControlError(`-ERR Invalid uuid (bridge ${aUuid} ${bUuid})`);
    }
    a.bridgedTo = bUuid;
    b.bridgedTo = aUuid;
    this.log.push({ type: "bridge", at: this.clock.now(), aUuid, bUuid });
  }

  async hangup(uuid: string, cause: HangupCause = HangupCauses.NormalClearing): Promise<void> {
    this.requestHangup(uuid, cause);
  }

  async speakTo(uuid: string, text: string): Promise<void> {
    const leg = this.byUuid.get(uuid);
    if (!leg || leg.state === "ended")
      throw new CallControlError(`-ERR invalid uuid (speak to ${uuid})`);
    this.log.push({ type: "speak", at: this.clock.now(), uuid, text });
  }

  private async accepted(): Promise<void> {
    if (this.acceptDelayMs <= 0) return;
    await new Promise<void>((resolve) => this.clock.setTimeout(resolve, this.acceptDelayMs));
  }

  private claimUuid(uuid: string): void {
    if (this.usedUuids.has(uuid)) throw new CallControlError(`duplicate uuid ${uuid}`);
    this.usedUuids.add(uuid);
  }

  private nextBehaviour(destination: string): FakeDestinationBehaviour {
    const queue = this.scripts.get(destination);
    if (!queue) return this.unscripted;
    const next = queue.length > 1 ? queue.shift() : queue[0];
    return next ?? this.unscripted;
  }

  private startLeg(
    request: OriginateRequest,
    variables: Readonly<Record<string, string>>,
    behaviour: FakeDestinationBehaviour,
  ): OutboundLeg {
    const { uuid, destination, timeoutMs } = request;
    if (behaviour.kind === "unregistered" || behaviour.kind === "absent") {
      const cause =
        behaviour.kind === "unregistered"
          ? HangupCauses.UserNotRegistered
          : HangupCauses.SubscriberAbsent;
      this.log.push({ type: "originateFailed", at: this.clock.now(), uuid, destination, cause });
      return {
        uuid,
        destination,
        outcome: Promise.resolve({ answered: false, cause }),
        ended: Promise.resolve(cause),
        hangup: async (requested = HangupCauses.NormalClearing) => {
          this.requestHangup(uuid, requested);
        },
      };
    }
    const channel = new Channel(
      uuid,
      destination,
      variables,
      timeoutMs,
      this.clock.now(),
      behaviour,
      false,
    );
    this.byUuid.set(uuid, channel);
    // The switch's originate timer is armed before the phone's reaction, so a
    // phone scripted to answer at the very instant of the timeout does not.
    channel.timers.push(
      this.clock.setTimeout(() => this.end(channel, HangupCauses.NoAnswer), timeoutMs),
    );
    switch (behaviour.kind) {
      case "answer":
        channel.timers.push(
          this.clock.setTimeout(() => this.answerChannel(channel), behaviour.afterMs),
        );
        break;
      case "busy":
        channel.timers.push(
          this.clock.setTimeout(
            () => this.end(channel, HangupCauses.UserBusy),
            behaviour.afterMs ?? 0,
          ),
        );
        break;
      case "reject":
        channel.timers.push(
          this.clock.setTimeout(
            () => this.end(channel, HangupCauses.CallRejected),
            behaviour.afterMs ?? 0,
          ),
        );
        break;
      case "ring":
        break;
    }
    return {
      uuid,
      destination,
      outcome: channel.outcome.promise,
      ended: channel.ended.promise,
      hangup: async (cause = HangupCauses.NormalClearing) => {
        this.requestHangup(uuid, cause);
      },
    };
  }

  private requestHangup(uuid: string, cause: HangupCause): void {
    this.log.push({ type: "hangupRequest", at: this.clock.now(), uuid, cause });
    const channel = this.byUuid.get(uuid);
    if (channel) this.end(channel, cause);
  }

  private answerChannel(channel: Channel): void {
    if (channel.state !== "ringing") return;
    for (const timer of channel.timers.splice(0)) timer.cancel();
    channel.state = "answered";
    channel.answeredAt = this.clock.now();
    this.log.push({
      type: "answer",
      at: channel.answeredAt,
      uuid: channel.uuid,
      destination: channel.destination,
    });
    channel.outcome.resolve({ answered: true });
    const behaviour = channel.behaviour;
    if (behaviour?.kind === "answer" && behaviour.hangupAfterMs !== undefined) {
      channel.timers.push(
        this.clock.setTimeout(
          () => this.end(channel, HangupCauses.NormalClearing),
          behaviour.hangupAfterMs,
        ),
      );
    }
  }

  private end(channel: Channel, cause: HangupCause): void {
    if (channel.state === "ended") return;
    for (const timer of channel.timers.splice(0)) timer.cancel();
    const wasAnswered = channel.state === "answered";
    channel.state = "ended";
    channel.cause = cause;
    channel.endedAt = this.clock.now();
    this.log.push({
      type: "hangup",
      at: channel.endedAt,
      uuid: channel.uuid,
      destination: channel.destination,
      cause,
      wasAnswered,
    });
    if (!wasAnswered) channel.outcome.resolve({ answered: false, cause });
    channel.ended.resolve(cause);
    const partner = channel.bridgedTo ? this.byUuid.get(channel.bridgedTo) : undefined;
    if (partner?.state !== "ended" && partner?.bridgedTo === channel.uuid) {
      if (partner.parkAfterBridge) {
        partner.bridgedTo = null;
        this.log.push({
          type: "unbridge",
          at: this.clock.now(),
          uuid: partner.uuid,
          from: channel.uuid,
        });
      } else {
        this.end(partner, HangupCauses.NormalClearing);
      }
    }
    for (const listener of [...channel.hangupListeners]) listener(cause);
  }
}
