/**
 * A typed client of the simulator's control API ({@link ControlServer}),
 * for processes that drive a running fs-sim from outside: the web app's
 * test-call panel, scripts. It needs nothing but `fetch`, so importing it
 * does not load the simulator.
 */

/** A live channel as the control API lists it (the simulator's `ChannelInfo`). */
export interface SimChannel {
  readonly uuid: string;
  readonly name: string;
  readonly direction: "inbound" | "outbound";
  readonly state: string;
  readonly callState: string;
  /** `ringing` | `early` | `answered` | `hangup`. */
  readonly answerState: string;
  readonly bridgedTo?: string;
  readonly hangupCause?: string;
  readonly destinationNumber?: string;
  readonly callerIdNumber?: string;
  /** The directory user a `user/` leg rings. */
  readonly dialedUser?: string;
  readonly variables: Readonly<Record<string, string>>;
}

/** How a simulated phone behaves when rung (see the simulator's `AgentBehaviour`). */
export interface SimPhoneBehaviour {
  readonly ringAfterMs?: number | null;
  readonly answerAfterMs?: number;
  readonly earlyMediaAfterMs?: number;
  readonly busyAfterMs?: number;
  readonly rejectAfterMs?: number;
  readonly hangupAfterMs?: number;
}

/** A directory user (a phone) of the simulator. */
export interface SimPhone {
  readonly id: string;
  readonly registered: boolean;
  /** Its scripted behaviour on the next rings, in turn. */
  readonly behaviours: readonly SimPhoneBehaviour[];
}

/** What a simulated agent's phone does when a call rings it. */
export type PhoneAnswer = "answers" | "noAnswer" | "busy";

/**
 * The behaviour behind each {@link PhoneAnswer}: answering picks up after
 * two rings and talks for a minute (time enough to watch the bridge), no
 * answer rings until the caller's side gives up, busy refuses at once.
 */
export const PHONE_ANSWERS: Readonly<Record<PhoneAnswer, SimPhoneBehaviour>> = {
  answers: { ringAfterMs: 0, answerAfterMs: 2_000, hangupAfterMs: 60_000 },
  noAnswer: { ringAfterMs: 0 },
  busy: { busyAfterMs: 300 },
};

/** Which {@link PhoneAnswer} a phone's next behaviour amounts to (`null`: something else). */
export function phoneAnswerOf(phone: SimPhone): PhoneAnswer | null {
  const next = phone.behaviours[0];
  if (!next) return "answers"; // the simulator's default: answers after a second
  if (next.busyAfterMs !== undefined) return "busy";
  if (next.answerAfterMs !== undefined) return "answers";
  if (next.rejectAfterMs !== undefined) return null;
  return "noAnswer";
}

/** What {@link SimControlClient.placeCall} places. */
export interface SimCallRequest {
  readonly from: string;
  readonly fromName?: string;
  readonly to: string;
  readonly hangupAfterMs?: number;
  /** The INVITE's custom `X-` headers (channel variables `sip_h_<name>`). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The control API refused a request, or could not be reached (`status` 0). */
export class SimControlError extends Error {
  override readonly name = "SimControlError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Talks to one simulator's control API at `baseUrl` (e.g. `http://127.0.0.1:8022`). */
export class SimControlClient {
  private readonly base: string;

  constructor(
    baseUrl: string,
    private readonly timeoutMs = 5_000,
  ) {
    this.base = baseUrl.replace(/\/+$/, "");
  }

  /** Every live channel. */
  channels(): Promise<SimChannel[]> {
    return this.request("GET", "/channels");
  }

  /** Places a call; resolves with its channel's uuid. */
  async placeCall(call: SimCallRequest): Promise<string> {
    const { uuid } = await this.request<{ uuid: string }>("POST", "/calls", call);
    return uuid;
  }

  /** The caller on channel `uuid` presses `digits`. */
  async pressKeys(uuid: string, digits: string): Promise<void> {
    await this.request("POST", `/calls/${encodeURIComponent(uuid)}/dtmf`, { digits });
  }

  /** Hangs channel `uuid` up (the caller hangs up). */
  async hangUp(uuid: string, cause?: string): Promise<void> {
    await this.request(
      "POST",
      `/calls/${encodeURIComponent(uuid)}/hangup`,
      cause === undefined ? {} : { cause },
    );
  }

  /** The directory's phones and their scripts. */
  phones(): Promise<SimPhone[]> {
    return this.request("GET", "/users");
  }

  /** Scripts phone `id` to answer, not answer or be busy on every ring from now on. */
  setPhone(id: string, answer: PhoneAnswer): Promise<SimPhone> {
    return this.request("PUT", `/users/${encodeURIComponent(id)}`, {
      registered: true,
      behaviour: PHONE_ANSWERS[answer],
    });
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new SimControlError(
        0,
        `the simulator's control API at ${this.base} did not answer (${why})`,
      );
    }
    const payload = (await response.json().catch(() => ({}))) as { error?: string };
    if (!response.ok) {
      throw new SimControlError(
        response.status,
        payload.error ?? `the simulator answered ${response.status} to ${method} ${path}`,
      );
    }
    return payload as T;
  }
}
