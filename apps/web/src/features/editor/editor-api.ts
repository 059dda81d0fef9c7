import type { FlowDraft, FlowProblem } from "@ringflow/core/flow";
import type { VersionRow } from "./chrome/versions-panel";
import type { SaveFailure } from "./hooks/use-autosave";

/** A server refusal the editor shows: its message and, for a refused publish or import, every problem. */
export interface Refusal {
  readonly message: string;
  readonly problems: readonly FlowProblem[];
}

/**
 * What the editor asks of the server, as plain async functions: the page
 * builds it from the tRPC procedures, tests from anything. Keeping the
 * canvas free of the transport keeps it usable read-only (a version, a
 * call's path) with the same components.
 */
export interface EditorApi {
  saveDraft(graph: FlowDraft, expectedRevision: number): Promise<{ revision: number }>;
  loadDraft(): Promise<{ graph: FlowDraft; revision: number }>;
  /** Publishes the stored draft, which must still be at `expectedRevision`. */
  publish(comment: string, expectedRevision: number): Promise<{ version: number }>;
  /** Publishes version `version` again as the next version. */
  rollback(version: number, comment: string): Promise<{ version: number }>;
  /** Replaces the draft with `json` if core accepts it; nothing is written otherwise. */
  importDraft(
    json: unknown,
    expectedRevision: number,
  ): Promise<{ graph: FlowDraft; revision: number }>;
  loadVersion(version: number): Promise<{ graph: FlowDraft }>;
  listVersions(): Promise<readonly VersionRow[]>;
  /** Calls on the live version today, by node and output. */
  outputCounts(): Promise<readonly { nodeId: string; output: string; count: number }[]>;
  /** How a failed save reads (conflict, offline, refused). */
  classifySaveError(error: unknown): SaveFailure;
  /** A failed publish, rollback or import, for people, with its problems. */
  describeRefusal(error: unknown): Refusal;
}
