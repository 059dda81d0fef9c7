import type { LiveCommandSender, LiveFeed } from "@ringflow/core/live";

/**
 * The web process's link to the workers' live state: one feed and one
 * command sender per process, opened on first use (a page that never shows
 * the board never connects), closed with the services.
 */
export interface LiveServices {
  /** The workers' live feed (snapshot + events). */
  feed(): Promise<LiveFeed>;
  /** Tells running workers of a supervisor's change. */
  commands(): Promise<LiveCommandSender>;
  close(): Promise<void>;
}

/** How {@link createLiveServices} opens each side. */
export interface LiveOpeners {
  readonly feed: () => Promise<LiveFeed>;
  readonly commands: () => Promise<LiveCommandSender>;
}

function once<T extends { close(): Promise<void> }>(open: () => Promise<T>) {
  let opened: Promise<T> | undefined;
  return {
    get: () => {
      opened ??= open().catch((error: unknown) => {
        opened = undefined; // try again next time
        throw error;
      });
      return opened;
    },
    close: async () => {
      const current = opened;
      opened = undefined;
      if (current) await (await current.catch(() => null))?.close();
    },
  };
}

/** Live services that open each side once, lazily, through `openers`. */
export function createLiveServices(openers: LiveOpeners): LiveServices {
  const feed = once(openers.feed);
  const commands = once(openers.commands);
  return {
    feed: feed.get,
    commands: commands.get,
    async close() {
      await Promise.all([feed.close(), commands.close()]);
    },
  };
}
