import type { SettingsRepository } from "./settings.js";

/** A queue's live settings and learnt figures, kept beside (not in) its configuration. */
export interface QueueState {
  readonly queueId: string;
  /** A paused queue grants no slots; its callers keep their places. */
  readonly paused: boolean;
  /** Exponentially weighted average of recent handle times (ms); `null` before the first. */
  readonly handleEwmaMs: number | null;
  /** Handle times the average has seen. */
  readonly handleSamples: number;
  /** The most recent handle times themselves (ms, oldest first; empty when none were stored): their spread. */
  readonly recentHandleMs: readonly number[];
}

/** What {@link QueueStatesRepository.saveHandleTime} stores. */
export interface HandleTimeFigures {
  readonly ewmaMs: number;
  readonly samples: number;
  /** The most recent handle times (ms, oldest first); at most {@link MAX_RECENT_HANDLE_TIMES} are kept. */
  readonly recentMs?: readonly number[];
}

/** Recent handle times stored per queue, at most (the newest are kept). */
export const MAX_RECENT_HANDLE_TIMES = 200;

/**
 * Queue states, for any queue id a flow names (configured or not): the
 * pause a supervisor set and the handle-time average wait estimates use,
 * so both survive restarts. Stored as settings `queue.paused:<id>` and
 * `queue.handleTime:<id>`, so a pause and a new average never overwrite
 * each other.
 */
export interface QueueStatesRepository {
  /** The state of `queueId` (not paused, no average, when nothing is stored). */
  get(queueId: string): Promise<QueueState>;
  /** Every queue with a stored state, by id. */
  list(): Promise<QueueState[]>;
  /** Stores a pause or resume; then tell the workers (a `setQueuePaused` live command). */
  setPaused(queueId: string, paused: boolean): Promise<void>;
  /** Stores the handle-time average and recent handle times (the worker does, as calls end). */
  saveHandleTime(queueId: string, figures: HandleTimeFigures): Promise<void>;
}

const PAUSED = "queue.paused:";
const HANDLE = "queue.handleTime:";

/** Creates the queue-states repository over the settings table. */
export function createQueueStatesRepository(settings: SettingsRepository): QueueStatesRepository {
  const empty = (queueId: string): QueueState => ({
    queueId,
    paused: false,
    handleEwmaMs: null,
    handleSamples: 0,
    recentHandleMs: [],
  });
  const withHandle = (state: QueueState, value: string): QueueState => {
    try {
      const parsed = JSON.parse(value) as {
        ewmaMs?: unknown;
        samples?: unknown;
        recentMs?: unknown;
      };
      if (typeof parsed.ewmaMs !== "number" || !Number.isFinite(parsed.ewmaMs)) return state;
      const samples = typeof parsed.samples === "number" ? parsed.samples : 1;
      // Stored before recent times were kept, or damaged: none (the average alone is used).
      const recent = Array.isArray(parsed.recentMs)
        ? parsed.recentMs.filter(
            (ms): ms is number => typeof ms === "number" && Number.isFinite(ms) && ms >= 0,
          )
        : [];
      return {
        ...state,
        handleEwmaMs: parsed.ewmaMs,
        handleSamples: samples,
        recentHandleMs: recent.slice(-MAX_RECENT_HANDLE_TIMES),
      };
    } catch {
      return state;
    }
  };
  return {
    async get(queueId) {
      const [paused, handle] = await Promise.all([
        settings.get(PAUSED + queueId),
        settings.get(HANDLE + queueId),
      ]);
      const state = { ...empty(queueId), paused: paused === "true" };
      return handle === null ? state : withHandle(state, handle);
    },

    async list() {
      const [paused, handles] = await Promise.all([
        settings.listByPrefix(PAUSED),
        settings.listByPrefix(HANDLE),
      ]);
      const states = new Map<string, QueueState>();
      const of = (id: string) => states.get(id) ?? empty(id);
      for (const { key, value } of paused) {
        const id = key.slice(PAUSED.length);
        states.set(id, { ...of(id), paused: value === "true" });
      }
      for (const { key, value } of handles) {
        const id = key.slice(HANDLE.length);
        states.set(id, withHandle(of(id), value));
      }
      return [...states.values()].sort((a, b) => (a.queueId < b.queueId ? -1 : 1));
    },

    async setPaused(queueId, paused) {
      await settings.set(PAUSED + queueId, paused ? "true" : "false");
    },

    async saveHandleTime(queueId, figures) {
      const { ewmaMs, samples, recentMs = [] } = figures;
      await settings.set(
        HANDLE + queueId,
        JSON.stringify({ ewmaMs, samples, recentMs: recentMs.slice(-MAX_RECENT_HANDLE_TIMES) }),
      );
    },
  };
}
