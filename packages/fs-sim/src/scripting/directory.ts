/**
 * What a simulated phone does with an incoming call. Times are in ms from
 * the INVITE. Without `answerAfterMs` (and no busy/reject/earlyMedia) the
 * phone rings until it is cancelled.
 */
export interface AgentBehaviour {
  /** Send 180 Ringing after this long (default 0); `null` = never ring. */
  ringAfterMs?: number | null;
  /** Answer (200 OK) after this long. */
  answerAfterMs?: number;
  /** Send 183 with SDP (early media) after this long. */
  earlyMediaAfterMs?: number;
  /** Answer 486 Busy Here after this long (USER_BUSY). */
  busyAfterMs?: number;
  /** Answer 603 Decline after this long (CALL_REJECTED). */
  rejectAfterMs?: number;
  /** Once answered, hang up (BYE) after this long. */
  hangupAfterMs?: number;
}

/** A directory user (a phone that may be registered). */
export interface DirectoryUser {
  id: string;
  /** False = in the directory but never registered (USER_NOT_REGISTERED). */
  registered: boolean;
  /** Port of the registered contact (shows in Channel-Name). */
  contactPort: number;
  /** Behaviour for the next calls, used in order; the last one repeats. */
  behaviours: AgentBehaviour[];
  /** Extra directory variables for this user. */
  variables: Record<string, string>;
}

/** Options for adding or changing a user. */
export interface UserOptions {
  registered?: boolean;
  contactPort?: number;
  /** One behaviour for every call, or a list consumed call by call (the last one repeats). */
  behaviour?: AgentBehaviour | AgentBehaviour[];
  variables?: Record<string, string>;
}

/** The answering default: ring at once, answer after 1 s. */
export const DEFAULT_BEHAVIOUR: AgentBehaviour = { ringAfterMs: 0, answerAfterMs: 1000 };

/**
 * The simulator's user directory (FreeSWITCH's directory users plus their
 * registrations). Defaults mirror the recordings' switch: users 1000–1019,
 * all registered except 1019; 1001 at port 5071, 1002 at 5073.
 */
export class Directory {
  private readonly users = new Map<string, DirectoryUser>();
  readonly domain = "127.0.0.1";

  constructor(defaults = true) {
    if (!defaults) return;
    for (let n = 1000; n <= 1019; n++) this.set(String(n), { registered: n !== 1019 });
  }

  /** Adds a user or changes one (unspecified fields keep their values). */
  set(id: string, opts: UserOptions = {}): DirectoryUser {
    const prev = this.users.get(id);
    const behaviours = opts.behaviour
      ? Array.isArray(opts.behaviour)
        ? [...opts.behaviour]
        : [opts.behaviour]
      : (prev?.behaviours ?? [DEFAULT_BEHAVIOUR]);
    const user: DirectoryUser = {
      id,
      registered: opts.registered ?? prev?.registered ?? true,
      contactPort: opts.contactPort ?? prev?.contactPort ?? defaultPort(id),
      behaviours,
      variables: { ...(prev?.variables ?? {}), ...(opts.variables ?? {}) },
    };
    this.users.set(id, user);
    return user;
  }

  get(id: string): DirectoryUser | undefined {
    return this.users.get(id);
  }

  remove(id: string): void {
    this.users.delete(id);
  }

  list(): DirectoryUser[] {
    return [...this.users.values()];
  }

  /** The behaviour for the user's next call (consumes list entries, the last repeats). */
  nextBehaviour(id: string): AgentBehaviour {
    const u = this.users.get(id);
    if (!u || u.behaviours.length === 0) return DEFAULT_BEHAVIOUR;
    return (u.behaviours.length > 1 ? u.behaviours.shift() : u.behaviours[0]) as AgentBehaviour;
  }

  /** FreeSWITCH's stock directory variables for a user, in the order they reach a channel. */
  variablesOf(id: string): Array<[string, string]> {
    const u = this.users.get(id);
    const base: Array<[string, string]> = [
      ["record_stereo", "true"],
      ["default_gateway", "example.com"],
      ["default_areacode", "918"],
      ["transfer_fallback_extension", "operator"],
      ["toll_allow", "domestic,international,local"],
      ["accountcode", id],
      ["user_context", "default"],
      ["effective_caller_id_name", `Extension ${id}`],
      ["effective_caller_id_number", id],
      ["outbound_caller_id_name", "FreeSWITCH"],
      ["outbound_caller_id_number", "0000000000"],
      ["callgroup", "techsupport"],
    ];
    for (const [k, v] of Object.entries(u?.variables ?? {})) {
      const i = base.findIndex(([n]) => n === k);
      if (i >= 0) base[i] = [k, v];
      else base.push([k, v]);
    }
    return base;
  }
}

function defaultPort(id: string): number {
  if (id === "1001") return 5071;
  if (id === "1002") return 5073;
  const n = Number.parseInt(id, 10);
  return Number.isFinite(n) ? 5100 + (n % 1000) * 2 : 5199;
}
