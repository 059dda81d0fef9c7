import type { AgentRegistry } from "@ringflow/core/agents";
import type { EslConnection, EslEvent, Unsubscribe } from "@ringflow/esl";
import type { Logger } from "../logger.js";

/** The events an agent's phone legs are followed by on the control connection. */
const CHANNEL_EVENTS = ["CHANNEL_CREATE", "CHANNEL_HANGUP_COMPLETE"];

/** Options of {@link AgentChannels}. */
export interface AgentChannelsOptions {
  /** The control connection (subscribed here to the outbound legs' events). */
  readonly connection: EslConnection;
  /** Where `show channels` and `uuid_getvar` go (the command connection while it is up). */
  readonly commands: () => EslConnection;
  readonly registry: Pick<AgentRegistry, "observeChannel">;
  readonly log: Logger;
}

/**
 * Tells the agent registry about every leg on an agent's phone that the
 * switch has, not only those this worker's ring groups started: the ring
 * groups of a worker that was killed or restarted leave agents talking on
 * the switch, and without this the next worker would ring them as if idle.
 *
 * At start and after each reconnection of the control connection it reads
 * the switch's outbound channels (`show channels`, then each leg's
 * `dialed_user`) and reconciles; in between it follows CHANNEL_CREATE and
 * CHANNEL_HANGUP_COMPLETE. A leg is matched to the agent whose contact is
 * `user/<dialed_user>` (or `user/<dialed_user>@<dialed_domain>`); the
 * registry ignores the legs ring groups report themselves.
 */
export class AgentChannels {
  /** Legs on agents' phones seen up, with the contacts they were matched on. */
  private readonly up = new Map<string, readonly string[]>();
  /** Legs that hung up while a reconciliation was reading the switch. */
  private readonly endedDuring = new Set<string>();
  private reconciling = 0;
  /** Every registry update, in the order the switch said it. */
  private chain: Promise<void> = Promise.resolve();
  private readonly stops: Unsubscribe[] = [];

  constructor(private readonly options: AgentChannelsOptions) {}

  /** Follows the events, then reads what the switch has now. Failures are logged, not thrown. */
  async start(): Promise<void> {
    const { connection, log } = this.options;
    this.stops.push(connection.onEvent((event) => this.onEvent(event)));
    this.stops.push(
      connection.onStateChange((state) => {
        if (state === "connected") void this.reconcile();
      }),
    );
    try {
      // As the call control subscribes: outbound legs only (agents' phones are dialled).
      await connection.filter("Call-Direction", "outbound");
      await connection.subscribe(CHANNEL_EVENTS);
    } catch (error) {
      log.warn({ err: error }, "could not follow agents' channels on the switch");
    }
    await this.reconcile();
  }

  /** Stops following events (the registry keeps what it was told). */
  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  /** Reads the switch's outbound legs and brings the registry in line with them. */
  async reconcile(): Promise<void> {
    const { commands, log } = this.options;
    this.reconciling++;
    try {
      const connection = commands();
      const listed = outboundChannels(await connection.api("show channels"));
      const found = new Map<string, readonly string[]>();
      for (const uuid of listed) {
        const known = this.up.get(uuid);
        if (known) {
          found.set(uuid, known);
          continue;
        }
        const user = await variableOf(connection, uuid, "dialed_user");
        if (user === null) continue;
        found.set(uuid, contactsOf(user, await variableOf(connection, uuid, "dialed_domain")));
      }
      this.enqueue(async () => {
        for (const [uuid, contacts] of this.up) {
          if (!found.has(uuid)) await this.observe(uuid, contacts, false);
        }
        for (const [uuid, contacts] of found) {
          if (this.endedDuring.has(uuid) || this.up.has(uuid)) continue;
          await this.observe(uuid, contacts, true);
        }
      });
      await this.chain;
    } catch (error) {
      log.warn({ err: error }, "could not read agents' channels from the switch");
    } finally {
      if (--this.reconciling === 0) this.endedDuring.clear();
    }
  }

  private onEvent(event: EslEvent): void {
    const uuid = event.uniqueId;
    if (!uuid) return;
    if (event.name === "CHANNEL_HANGUP_COMPLETE") {
      if (this.reconciling > 0) this.endedDuring.add(uuid);
      this.enqueue(async () => {
        const contacts = this.up.get(uuid);
        if (contacts) await this.observe(uuid, contacts, false);
      });
    } else if (event.name === "CHANNEL_CREATE") {
      const user = event.variable("dialed_user");
      if (!user) return;
      const contacts = contactsOf(user, event.variable("dialed_domain") ?? null);
      this.enqueue(() => this.observe(uuid, contacts, true));
    }
  }

  private enqueue(work: () => Promise<void>): void {
    this.chain = this.chain.then(work).catch((error: unknown) => {
      this.options.log.warn({ err: error }, "could not tell the agent registry about a channel");
    });
  }

  /** Reports the leg on the first contact an agent has; remembers it while up. */
  private async observe(uuid: string, contacts: readonly string[], up: boolean): Promise<void> {
    const { registry } = this.options;
    if (!up) this.up.delete(uuid);
    for (const contact of contacts) {
      if (await registry.observeChannel({ contact, uuid, up })) {
        if (up) this.up.set(uuid, [contact]);
        return;
      }
    }
  }
}

/** The uuids of the outbound channels in `show channels` (uuid and direction lead each row). */
function outboundChannels(text: string): string[] {
  const [header = "", ...rows] = text.split("\n");
  const columns = header.split(",");
  if (columns[0] !== "uuid" || columns[1] !== "direction") return [];
  const uuids: string[] = [];
  for (const row of rows) {
    const [uuid, direction] = row.split(",");
    if (uuid && direction === "outbound") uuids.push(uuid);
  }
  return uuids;
}

/** A channel variable, or `null` when unset (`_undef_`) or the channel is gone (`-ERR`). */
async function variableOf(
  connection: EslConnection,
  uuid: string,
  name: string,
): Promise<string | null> {
  const value = (await connection.api(`uuid_getvar ${uuid} ${name}`)).trim();
  return value === "" || value === "_undef_" || value.startsWith("-ERR") ? null : value;
}

/** The contacts an agent dialled as `user/<user>` may have. */
function contactsOf(user: string, domain: string | null): string[] {
  return domain ? [`user/${user}`, `user/${user}@${domain}`] : [`user/${user}`];
}
