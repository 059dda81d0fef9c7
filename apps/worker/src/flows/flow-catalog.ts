import { type Clock, systemClock, type TimerHandle } from "@ringflow/core";
import { assertPublishable, type FlowGraph, parseFlowGraph } from "@ringflow/core/flow";
import type { Db } from "@ringflow/db";
import type { Logger } from "../logger.js";

/** The flow a dialled number runs: one immutable published version. */
export interface RoutedFlow extends RunnableFlow {
  readonly versionId: string;
  readonly version: number;
}

/** What a call runs: a number's published version, or (a test call) a flow's draft. */
export interface RunnableFlow {
  readonly number: string;
  readonly flowId: string;
  /** `null` for a draft. */
  readonly versionId: string | null;
  /** `null` for a draft. */
  readonly version: number | null;
  readonly flow: FlowGraph;
}

/** A draft a test call asked for cannot run: why, in a sentence. */
export class DraftNotRunnableError extends Error {
  override readonly name = "DraftNotRunnableError";
}

/** A number's newest published version that this worker's flow schema rejects. */
export interface RejectedVersion {
  readonly number: string;
  readonly flowId: string;
  readonly versionId: string;
  readonly version: number;
  /** Why it was rejected (the parse error's message). */
  readonly cause: string;
  /** The version the number still runs, or `null`: the number is unrouted. */
  readonly keptVersion: number | null;
}

/** Options of {@link FlowCatalog}. */
export interface FlowCatalogOptions {
  readonly db: Db<FlowGraph>;
  readonly log: Logger;
  /** How often the routes are re-read (pub/sub, where there is one, triggers it sooner). */
  readonly pollMs: number;
  /** Times the poll and stamps {@link FlowCatalog.lastSyncedAt} (default `systemClock`). */
  readonly clock?: Clock;
}

/**
 * The published flow of every routed number, held in memory so a call is
 * routed without a database round trip (and still routed while the database
 * blips).
 *
 * {@link sync} re-reads the routes (`routes.listPublished`: one query, no
 * graphs) and loads only versions it has not seen; it runs every `pollMs`
 * and whenever a publish is announced. Versions are immutable, so a loaded
 * version never goes stale: a call keeps the `RoutedFlow` it was given, and
 * a new version only changes what later calls get.
 */
export class FlowCatalog {
  private routes = new Map<string, RoutedFlow>();
  /** Versions the schema rejected, by id: logged once, not fetched again. */
  private rejectedVersions = new Map<string, string>();
  private rejectedByNumber = new Map<string, RejectedVersion>();
  private readonly db: Db<FlowGraph>;
  private readonly log: Logger;
  private readonly pollMs: number;
  private readonly clock: Clock;
  private timer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private lastSyncAt: number | undefined;
  private stopped = false;

  constructor(options: FlowCatalogOptions) {
    this.db = options.db;
    this.log = options.log;
    this.pollMs = options.pollMs;
    this.clock = options.clock ?? systemClock;
  }

  /** Loads every route once (rejects if the database cannot be read), then polls. */
  async start(): Promise<void> {
    await this.sync();
    if (this.lastSyncAt === undefined) throw new Error("the published flows could not be read");
    this.schedule();
  }

  /** Stops polling. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** Routed numbers known now. */
  get size(): number {
    return this.routes.size;
  }

  /** Numbers whose newest published version this worker cannot run, with why. */
  rejected(): RejectedVersion[] {
    return [...this.rejectedByNumber.values()];
  }

  /** Why `number`'s newest published version cannot run here, if it cannot. */
  rejectedFor(number: string): RejectedVersion | undefined {
    return this.rejectedByNumber.get(number);
  }

  /** Epoch ms of the last successful sync. */
  get lastSyncedAt(): number | undefined {
    return this.lastSyncAt;
  }

  /**
   * The flow for `number`: from memory, else straight from the database (a
   * number published a moment ago, before the next sync). `null` when the
   * number has no published flow.
   */
  async resolve(number: string): Promise<RoutedFlow | null> {
    const known = this.routes.get(number);
    if (known) return known;
    if (this.rejectedByNumber.has(number)) return null;
    const published = await this.db.routes
      .findPublishedFlowForNumber(number)
      .catch((error: unknown) => {
        // A version the schema rejects, published a moment ago: the next
        // sync records (and logs) it; until then the number is unrouted.
        this.log.debug({ err: error, number }, "cannot load the published flow version");
        return null;
      });
    if (!published) return null;
    const routed: RoutedFlow = {
      number,
      flowId: published.flowId,
      versionId: published.versionId,
      version: published.version,
      flow: published.graph,
    };
    // Only if no sync has meanwhile put something (at least as new) there.
    const now = this.routes.get(number);
    if (!now || now.version < routed.version) this.routes.set(number, routed);
    return this.routes.get(number) ?? routed;
  }

  /**
   * The draft of flow `flowId`, for a test call to `number`: read from the
   * database on every call (a draft changes with every edit), parsed and
   * held to the same rule as publishing (`assertPublishable`), so a test
   * call never runs what could not go live.
   *
   * @throws {DraftNotRunnableError} when there is no such flow, or its draft has errors.
   */
  async draft(flowId: string, number: string): Promise<RunnableFlow> {
    const stored = await this.db.flows.get(flowId);
    if (!stored) throw new DraftNotRunnableError(`there is no flow ${JSON.stringify(flowId)}`);
    let flow: FlowGraph;
    try {
      assertPublishable(stored.draftGraph);
      flow = parseFlowGraph(stored.draftGraph);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new DraftNotRunnableError(`the draft of "${stored.name}" cannot run: ${why}`);
    }
    return { number, flowId, versionId: null, version: null, flow };
  }

  /**
   * Re-reads the routes now. Concurrent requests coalesce: one more sync
   * runs after the current one. Never rejects; failures are logged and the
   * flows already known stay in use.
   */
  sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.syncOnce();
          this.lastSyncAt = this.clock.now();
        } catch (error) {
          this.log.error({ err: error }, "could not read the published flows; keeping those known");
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      void this.sync().then(() => this.schedule());
    }, this.pollMs);
  }

  private async syncOnce(): Promise<void> {
    const rows = await this.db.routes.listPublished();
    const loaded = new Map<string, RoutedFlow>();
    for (const known of this.routes.values()) loaded.set(known.versionId, known);
    const next = new Map<string, RoutedFlow>();
    const rejectedVersions = new Map<string, string>();
    const rejectedByNumber = new Map<string, RejectedVersion>();
    for (const row of rows) {
      let source = loaded.get(row.versionId);
      let cause = this.rejectedVersions.get(row.versionId);
      if (!source && cause === undefined) {
        try {
          const version = await this.db.versions.getById(row.versionId);
          if (!version) continue; // deleted meanwhile: the next sync sees the new state
          source = { ...row, flow: version.graph };
          loaded.set(row.versionId, source);
        } catch (error) {
          cause = error instanceof Error ? error.message : String(error);
          // Logged once per version: versions never change, so it is
          // fetched again only once another version is published.
          const previous = this.routes.get(row.number);
          this.log.error(
            { err: error, number: row.number, flowId: row.flowId, version: row.version },
            previous
              ? "cannot load the published flow version; the number keeps its previous version"
              : "cannot load the published flow version; the number stays unrouted",
          );
        }
      }
      if (cause !== undefined) {
        // A version the flow schema rejects: keep serving what the number ran before.
        rejectedVersions.set(row.versionId, cause);
        const previous = this.routes.get(row.number);
        if (previous) next.set(row.number, previous);
        rejectedByNumber.set(row.number, {
          number: row.number,
          flowId: row.flowId,
          versionId: row.versionId,
          version: row.version,
          cause,
          keptVersion: previous?.version ?? null,
        });
        continue;
      }
      if (source) next.set(row.number, { ...source, number: row.number });
    }
    this.rejectedVersions = rejectedVersions;
    this.rejectedByNumber = rejectedByNumber;
    for (const [number, routed] of next) {
      const before = this.routes.get(number);
      if (!before || before.versionId !== routed.versionId) {
        this.log.info(
          { number, flowId: routed.flowId, version: routed.version, previous: before?.version },
          "number routed to a published flow version",
        );
      }
    }
    for (const number of this.routes.keys()) {
      if (!next.has(number)) this.log.info({ number }, "number no longer routed");
    }
    this.routes = next;
  }
}
