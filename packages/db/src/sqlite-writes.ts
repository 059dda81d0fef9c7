import type BetterSqlite3 from "better-sqlite3";

/**
 * Writes on SQLite that go to better-sqlite3 directly, beside Prisma, on
 * the connection Prisma's adapter opened (there is one per client).
 *
 * What for: the worker's call records. Through Prisma, every statement of
 * a transaction is a request its query compiler (WebAssembly) plans anew,
 * parameters and all, and every transaction a round of its interactive
 * transaction machinery; at 100 calls/s that was a quarter of the worker's
 * CPU for a few inserts per call. Here a transaction is one synchronous
 * stretch — `BEGIN IMMEDIATE`, statements prepared once and kept, `COMMIT`
 * — without awaiting anything in between.
 *
 * Prisma's transactions and these never overlap: `sqliteAdapter` (prisma-client.ts)
 * makes the adapter's transactions take the same lock {@link transaction}
 * takes, and a transaction here runs to its end within one turn of the
 * event loop, so no Prisma query can run inside it either.
 */
export class SqliteWrites {
  private connection: BetterSqlite3.Database | undefined;
  /** The connection's busy timeout as Prisma's adapter opened it (better-sqlite3's default: 5 s). */
  private busyTimeoutMs: number | undefined;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  /** Settles when the last transaction to take the lock lets it go. */
  private tail: Promise<void> = Promise.resolve();

  /** @param connect opens Prisma's connection (its `$connect`), which hands the adapter's over. */
  constructor(private readonly connect: () => Promise<void>) {}

  /** Called by the adapter wrapper once Prisma's adapter has its connection. */
  attach(connection: BetterSqlite3.Database): void {
    this.connection = connection;
    this.busyTimeoutMs = undefined;
    this.statements.clear();
  }

  /**
   * Waits its turn behind every transaction (Prisma's or this class's)
   * that asked before it; resolves to the function that lets the next go.
   */
  async lock(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const before = this.tail;
    this.tail = before.then(() => held);
    await before;
    return release;
  }

  /**
   * Runs `work` in one `BEGIN IMMEDIATE` … `COMMIT` transaction, rolled
   * back if it throws (the error then rejects the promise). `work` is
   * synchronous: nothing else runs on the connection until it returns.
   */
  async transaction<T>(work: (run: SqliteRun) => T): Promise<T> {
    if (!this.connection) await this.connect();
    const connection = this.connection;
    if (!connection) throw new Error("Prisma connected without handing over its SQLite connection");
    const release = await this.lock();
    try {
      await this.begin(connection);
      try {
        const result = work({ statement: (source) => this.statement(source) });
        this.statement("COMMIT").run();
        return result;
      } catch (error) {
        if (connection.inTransaction) this.statement("ROLLBACK").run();
        throw error;
      }
    } finally {
      release();
    }
  }

  /**
   * `BEGIN IMMEDIATE`, waiting for another process's write lock (the web
   * app's, another worker's) without blocking the event loop: each try
   * waits at most {@link BUSY_TRY_MS} in SQLite, and between tries this
   * process goes on, up to the connection's own busy timeout in all. (A
   * statement through Prisma waits the whole timeout inside SQLite, and
   * with it every call this process serves.)
   */
  private async begin(connection: BetterSqlite3.Database): Promise<void> {
    const patience = this.busyTimeoutMs ?? this.readBusyTimeout(connection);
    const deadline = Date.now() + patience;
    for (;;) {
      this.statement(`PRAGMA busy_timeout = ${BUSY_TRY_MS}`).get();
      try {
        this.statement("BEGIN IMMEDIATE").run();
        return;
      } catch (error) {
        if ((error as { code?: unknown }).code !== "SQLITE_BUSY" || Date.now() >= deadline) {
          throw error;
        }
      } finally {
        this.statement(`PRAGMA busy_timeout = ${patience}`).get();
      }
      await new Promise((resolve) => setTimeout(resolve, BUSY_PAUSE_MS));
    }
  }

  private readBusyTimeout(connection: BetterSqlite3.Database): number {
    const value = Number(connection.pragma("busy_timeout", { simple: true }));
    this.busyTimeoutMs = Number.isFinite(value) ? value : 5_000;
    return this.busyTimeoutMs;
  }

  private statement(source: string): BetterSqlite3.Statement {
    let statement = this.statements.get(source);
    if (!statement) {
      if (!this.connection) throw new Error("no SQLite connection");
      statement = this.connection.prepare(source);
      // The adapter's connection hands out BigInts by default; these
      // statements read only counts that fit a number.
      if (statement.reader) statement.safeIntegers(false);
      this.statements.set(source, statement);
    }
    return statement;
  }
}

/** How long one try of `BEGIN IMMEDIATE` may wait inside SQLite for another process's lock. */
const BUSY_TRY_MS = 2;
/** The pause between those tries, while this process goes on. */
const BUSY_PAUSE_MS = 10;

/** What a {@link SqliteWrites.transaction} works with. */
export interface SqliteRun {
  /** `source` prepared once per connection, and kept. */
  statement(source: string): BetterSqlite3.Statement;
}

/**
 * A value as Prisma's SQLite adapter stores it: a `Date` as ISO 8601 text
 * ending `+00:00` (its default `timestampFormat`), so rows written here
 * read back through Prisma, and sort and compare as text, like its own.
 */
export function sqliteValue(value: string | number | Date | null): string | number | null {
  return value instanceof Date ? value.toISOString().replace("Z", "+00:00") : value;
}
