"use client";

import type { FlowProblem } from "@ringflow/core/flow";
import { useMemo } from "react";
import { apiFailure, describeFailure } from "@/lib/api-errors";
import { useTRPCClient } from "@/trpc/client";
import type { EditorApi } from "./editor-api";

/** Midnight of today in the browser's time zone: "today" for the pass counts. */
function startOfToday(): Date {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

/**
 * The editor's API over the tRPC client. Failures are read from the
 * error's structured data (`domainCode`, `problems`), never its message.
 */
export function useEditorApi(flowId: string): EditorApi {
  const client = useTRPCClient();
  return useMemo<EditorApi>(
    () => ({
      saveDraft: (graph, expectedRevision) =>
        client.flows.saveDraft.mutate({ id: flowId, graph, expectedRevision }),
      async loadDraft() {
        const draft = await client.flows.draft.query({ id: flowId });
        if (!draft) throw new Error("This flow no longer exists");
        return { graph: draft.graph, revision: draft.revision };
      },
      publish: (comment, expectedRevision) =>
        client.versions.publish.mutate({ flowId, comment, expectedRevision }),
      rollback: (version, comment) => client.versions.rollback.mutate({ flowId, version, comment }),
      importDraft: (json, expectedRevision) =>
        client.flows.importDraft.mutate({ id: flowId, json, expectedRevision }),
      async loadVersion(version) {
        const found = await client.versions.get.query({ flowId, version });
        if (!found) throw new Error(`Version ${version} does not exist`);
        return { graph: found.graph };
      },
      async listVersions() {
        return (await client.versions.list.query({ flowId, limit: 200 })).items;
      },
      async outputCounts() {
        return (await client.versions.outputCounts.query({ flowId, since: startOfToday() })).counts;
      },
      classifySaveError(error) {
        const failure = apiFailure(error);
        if (failure.domainCode === "CONFLICT") return { kind: "conflict" };
        if (failure.code === "NETWORK") return { kind: "offline" };
        return { kind: "error", message: describeFailure(failure) };
      },
      describeRefusal(error) {
        const failure = apiFailure(error);
        const problems: readonly FlowProblem[] = failure.problems ?? [];
        const errors = problems.filter((p) => p.severity === "error").length;
        if (errors > 0) {
          return {
            message: `Refused by the server: ${errors} error${errors === 1 ? "" : "s"} in the flow.`,
            problems,
          };
        }
        if (failure.domainCode === "CONFLICT") {
          return {
            message: "Someone else saved this flow meanwhile: the editor will offer to reload.",
            problems,
          };
        }
        return { message: describeFailure(failure), problems };
      },
    }),
    [client, flowId],
  );
}
