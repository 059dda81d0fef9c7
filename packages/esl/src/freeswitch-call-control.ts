import {
  type CallControl,
  CallControlError,
  type Clock,
  type HangupCause,
  HangupCauses,
  type OriginateRequest,
  type OutboundLeg,
  systemClock,
} from "@ringflow/core";
import { assertDestination, escapeApiArgument, formatChannelVariables } from "./dial-string.js";
import {
  EslCommandError,
  EslDisconnectedError,
  EslInvalidArgumentError,
  EslOverloadedError,
  EslTimeoutError,
} from "./errors.js";
import type { EslConnection } from "./esl-connection.js";
import { FreeswitchLeg, type LegHost } from "./freeswitch-leg.js";
import { HandlerSet, reportError, type Unsubscribe } from "./handler-set.js";

/** The events a leg is followed by (BACKGROUND_JOB is always subscribed). */
const LEG_EVENTS = [
  "CHANNEL_CREATE",
  "CHANNEL_ANSWER",
  "CHANNEL_HANGUP",
  "CHANNEL_HANGUP_COMPLETE",
];
/** Variables the call control sets itself on every leg. */
const RESERVED_VARIABLES = new Set([
  "origination_uuid",
  "originate_timeout",
  "ignore_early_media",
  "park_timeout",
]);

/** Default of {@link FreeswitchCallControlOptions.killRetryDelaysMs}: 30 s in all. */
export const DEFAULT_KILL_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 15_000];

/** Default of {@link FreeswitchCallControlOptions.answeredLegParkSeconds}. */
export const DEFAULT_ANSWERED_LEG_PARK_SECONDS = 120;
const WORD = /^\S+$/;

function toCallControlError(error: unknown, what: string): CallControlError {
  if (error instanceof CallControlError) return error;
  const detail = error instanceof Error ? `: ${error.message}` : "";
  return new CallControlError(`${what} failed${detail}`, { cause: error });
}

function assertWord(value: string, what: string): void {
  if (!WORD.test(value))
    throw new EslInvalidArgumentError(`${what} must be one word: ${JSON.stringify(value)}`);
}

/** Options of {@link FreeswitchCallControl}. */
export interface FreeswitchCallControlOptions {
  /**
   * Adds `filter Call-Direction outbound` to the connection, so it receives
   * the events of legs the switch originated (ours among them) and not those
   * of inbound calls. Every call a switch takes raises channel events the
   * call control has no use for; on a busy switch that is a quarter of what
   * the connection would decode. Filters apply to the whole connection: only
   * set this when nothing else on it needs inbound channels' events.
   */
  readonly outboundLegEventsOnly?: boolean;
  /**
   * How long an answered leg may wait, parked, for its bridge before the
   * switch hangs it up (`park_timeout=<s>:ALLOTTED_TIMEOUT`, read when the
   * leg's `&park()` starts). Normally a bridge follows within moments; this
   * bounds the leg of a worker that died between the answer and the bridge,
   * which nobody else would end. Default {@link DEFAULT_ANSWERED_LEG_PARK_SECONDS}.
   */
  readonly answeredLegParkSeconds?: number;
  /**
   * When a leg's `uuid_kill` fails with the connection up (no reply in
   * time behind a backlog, or refused unsent), it is retried after each of
   * these delays in turn until the switch confirms it or the leg is seen to
   * end. Default {@link DEFAULT_KILL_RETRY_DELAYS_MS}; `[]`: no retry.
   */
  readonly killRetryDelaysMs?: readonly number[];
  /**
   * A leg whose originate was written but not answered in time is asked
   * about (`uuid_exists`) this long after its ring timeout: released if the
   * switch has no such channel, killed if it has. Default 5,000 ms.
   */
  readonly abandonedLegCheckMarginMs?: number;
  /** Times the kill retries and the checks of abandoned legs. Default: the system clock. */
  readonly clock?: Clock;
  /**
   * A second connection to the same switch, subscribed to nothing, for the
   * call control's `api` commands (`uuid_kill`, `uuid_bridge`,
   * `uuid_exists`, and {@link FreeswitchCallControl.hangup}). Their replies
   * then never wait behind the event stream: on the one connection every
   * reply comes after all the events the switch wrote before it, and a
   * worker slow to read them (starved of CPU) sees its kills time out. The
   * originates stay on the main connection, whose events follow the legs.
   * While it is not connected, commands go on the main connection.
   */
  readonly commands?: EslConnection;
}

/**
 * Core's `CallControl` over an inbound Event Socket connection.
 *
 * Each leg is `bgapi originate {origination_uuid=U,originate_timeout=S,
 * ignore_early_media=true,park_timeout=120:ALLOTTED_TIMEOUT,...}<destination> &park()`: the call resolves as
 * soon as the switch accepted the job, so legs originated one after another
 * ring together; the parked, answered leg can then be bridged by uuid.
 * `ignore_early_media=true` makes the switch report `+OK` on answer only,
 * not on early media.
 */
export class FreeswitchCallControl implements CallControl {
  private readonly legs = new Map<string, { leg: FreeswitchLeg; unsubscribe: Unsubscribe }>();
  private subscribed: Promise<void> | undefined;
  private readonly errors = new HandlerSet<[unknown]>();
  private readonly host: LegHost;

  constructor(
    private readonly connection: EslConnection,
    private readonly options: FreeswitchCallControlOptions = {},
  ) {
    this.host = {
      kill: (uuid, cause) => this.commandConnection().hangup(uuid, cause),
      exists: async (uuid) =>
        (await this.commandConnection().api(`uuid_exists ${uuid}`)).trim() === "true",
      get connected() {
        return connection.state === "connected";
      },
      clock: options.clock ?? systemClock,
      killRetryDelaysMs: options.killRetryDelaysMs ?? DEFAULT_KILL_RETRY_DELAYS_MS,
      release: (leg) => {
        this.legs.get(leg.uuid)?.unsubscribe();
        this.legs.delete(leg.uuid);
      },
      report: (error) => reportError(this.errors, error),
    };
    connection.onStateChange((state) => {
      const legs = [...this.legs.values()].map((entry) => entry.leg);
      if (state === "reconnecting") for (const leg of legs) leg.abandon();
      else if (state === "connected") for (const leg of legs) void leg.reconcile();
      else for (const leg of legs) leg.close();
    });
  }

  /** Failures of work the call control does on its own (killing a cancelled leg). */
  onError(handler: (error: unknown) => void): Unsubscribe {
    return this.errors.add(handler);
  }

  async originate(request: OriginateRequest): Promise<OutboundLeg> {
    const { uuid, destination, timeoutMs } = request;
    assertWord(uuid, "leg uuid");
    assertDestination(destination);
    if (!(timeoutMs > 0))
      throw new EslInvalidArgumentError(`timeoutMs must be positive, got ${timeoutMs}`);
    for (const name of Object.keys(request.variables ?? {})) {
      if (RESERVED_VARIABLES.has(name)) {
        throw new EslInvalidArgumentError(
          `${name} is set by the call control and cannot be overridden`,
        );
      }
    }
    if (this.legs.has(uuid))
      throw new CallControlError(`a leg with uuid ${uuid} is already in progress`);
    const variables = {
      origination_uuid: uuid,
      originate_timeout: String(Math.ceil(timeoutMs / 1000)),
      ignore_early_media: "true",
      park_timeout: `${this.options.answeredLegParkSeconds ?? DEFAULT_ANSWERED_LEG_PARK_SECONDS}:ALLOTTED_TIMEOUT`,
      ...request.variables,
    };
    const command = `originate ${escapeApiArgument(formatChannelVariables(variables) + destination)} &park()`;

    try {
      await this.ensureSubscribed();
    } catch (error) {
      throw toCallControlError(error, "subscribing to channel events");
    }
    const leg = new FreeswitchLeg(uuid, destination, this.host);
    // Tracked before the bgapi goes out: the leg's events can arrive before its reply is read.
    const unsubscribe = this.connection.onChannelEvent(uuid, (event) => leg.handleEvent(event));
    this.legs.set(uuid, { leg, unsubscribe });
    try {
      const job = await this.connection.startBgapi(command);
      job.result.then(
        (body) => leg.handleJobResult(body),
        // Only a lost connection rejects it; the state change deals with the leg.
        () => undefined,
      );
    } catch (error) {
      const unsent =
        error instanceof EslCommandError ||
        error instanceof EslInvalidArgumentError ||
        error instanceof EslOverloadedError ||
        (error instanceof EslTimeoutError && !error.written);
      if (unsent) {
        // The switch never had it (or refused it): nothing to wait for.
        this.host.release(leg);
      } else {
        // The switch may have received the originate: kill the leg if it
        // shows up, and ask after its ring time whether it ever did.
        leg.abandon();
        if (!(error instanceof EslDisconnectedError)) {
          leg.verifyAfter(timeoutMs + (this.options.abandonedLegCheckMarginMs ?? 5_000));
        }
      }
      throw toCallControlError(error, `originate ${destination}`);
    }
    return leg;
  }

  async bridge(aUuid: string, bUuid: string): Promise<void> {
    assertWord(aUuid, "uuid");
    assertWord(bUuid, "uuid");
    let body: string;
    try {
      body = await this.commandConnection().api(`uuid_bridge ${aUuid} ${bUuid}`);
    } catch (error) {
      throw toCallControlError(error, `uuid_bridge ${aUuid} ${bUuid}`);
    }
    if (!body.startsWith("+OK")) {
      throw new CallControlError(`uuid_bridge ${aUuid} ${bUuid} failed: ${body.trim()}`);
    }
  }

  async hangup(uuid: string, cause: HangupCause = HangupCauses.NormalClearing): Promise<void> {
    assertWord(uuid, "uuid");
    try {
      // false: the channel is already gone, which is what the caller wanted.
      await this.commandConnection().hangup(uuid, cause);
    } catch (error) {
      throw toCallControlError(error, `uuid_kill ${uuid}`);
    }
  }

  /**
   * Speaks `text` to the leg alone: `uuid_broadcast <uuid> speak::<text> aleg`,
   * with the leg's own `tts_engine` / `tts_voice` (set them in the ring
   * group's variables). The path is quoted, as FreeSWITCH splits the
   * command on spaces outside quotes; `|` (which would split speak's data)
   * and `'` become spaces.
   */
  async speakTo(uuid: string, text: string): Promise<void> {
    assertWord(uuid, "uuid");
    const words = text.replace(/[|']/g, " ").replace(/\s+/g, " ").trim();
    const command = `uuid_broadcast ${uuid} 'speak::${words}' aleg`;
    let body: string;
    try {
      body = await this.commandConnection().api(command);
    } catch (error) {
      throw toCallControlError(error, command);
    }
    if (!body.startsWith("+OK")) throw new CallControlError(`${command} failed: ${body.trim()}`);
  }

  /** The connection `api` commands go on: the command connection while it is up. */
  private commandConnection(): EslConnection {
    const commands = this.options.commands;
    return commands?.state === "connected" ? commands : this.connection;
  }

  private ensureSubscribed(): Promise<void> {
    this.subscribed ??= (async () => {
      if (this.options.outboundLegEventsOnly) {
        await this.connection.filter("Call-Direction", "outbound");
      }
      await this.connection.subscribe(LEG_EVENTS);
    })().catch((error: unknown) => {
      this.subscribed = undefined;
      throw error;
    });
    return this.subscribed;
  }
}
