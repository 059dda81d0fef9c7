import { type FlowDraft, type FlowProblem, isPublishable, validateFlow } from "@ringflow/core/flow";

/**
 * Import and export of flows as JSON files: the file is core's flow format
 * itself (`{ schemaVersion, nodes, edges, notes? }`), the same JSON the API
 * stores, so a file can be read, diffed and edited by hand.
 */

/** The file name a flow is exported under: `support-line-draft.json`, `support-line-v3.json`. */
export function exportFileName(flowName: string, version: number | null): string {
  const slug =
    flowName
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "flow";
  return `${slug}-${version === null ? "draft" : `v${version}`}.json`;
}

/** The file's text: pretty JSON, keys in core's order. */
export function exportFileText(graph: FlowDraft): string {
  return `${JSON.stringify(graph, null, 2)}\n`;
}

/** What reading an import file found. */
export type ImportCheck =
  | { readonly ok: true; readonly json: unknown; readonly problems: readonly FlowProblem[] }
  | { readonly ok: false; readonly reason: string; readonly problems: readonly FlowProblem[] };

/**
 * Reads an import file as the server will judge it: not JSON, or a flow
 * with errors (core's `validateFlow`), is refused with every problem; a
 * flow with warnings only may be imported.
 */
export function checkImportFile(text: string): ImportCheck {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `The file is not JSON: ${(error as Error).message}`, problems: [] };
  }
  const problems = validateFlow(json);
  if (!isPublishable(problems)) {
    const errors = problems.filter((p) => p.severity === "error").length;
    return {
      ok: false,
      reason: `The file is not a flow Ringflow can use: ${errors} error${errors === 1 ? "" : "s"}.`,
      problems,
    };
  }
  return { ok: true, json, problems };
}
