"use client";

import type { PathStep } from "@ringflow/core/flow";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ErrorState } from "@/components/common/states";
import { useCanEdit } from "@/components/layout/user-context";
import { Skeleton } from "@/components/ui/skeleton";
import { MissingFlow } from "@/features/flows/missing-flow";
import { useTRPC } from "@/trpc/client";
import { FlowEditor } from "./flow-editor";
import type { ResourceOptions } from "./panel/resource-options";
import { useEditorApi } from "./use-editor-api";

/** A stored trace step as the path reads it: the output is inside the step's data. */
function pathStepOf(step: {
  at: Date;
  kind: string;
  nodeId: string | null;
  data: unknown;
}): PathStep {
  const output = (step.data as { output?: unknown } | null)?.output;
  return {
    at: step.at.getTime(),
    kind: step.kind,
    nodeId: step.nodeId,
    output: typeof output === "string" ? output : null,
  };
}

/**
 * The editor page: loads the draft, its versions, the queues and agent
 * groups the settings offer, and (with `callUuid`) a call's path, then
 * hands them to the editor.
 */
export function EditorPage({ flowId, callUuid }: { flowId: string; callUuid?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canEdit = useCanEdit();
  const api = useEditorApi(flowId);
  const draft = useQuery({
    ...trpc.flows.draft.queryOptions({ id: flowId }),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  const versions = useQuery(trpc.versions.list.queryOptions({ flowId, limit: 200 }));
  const queues = useQuery(trpc.queues.list.queryOptions());
  const groups = useQuery(trpc.groups.list.queryOptions());
  const call = useQuery({
    ...trpc.calls.get.queryOptions({ callUuid: callUuid ?? "" }),
    enabled: callUuid !== undefined,
  });
  const callVersion = call.data?.record.flowVersion ?? null;
  const version = useQuery({
    ...trpc.versions.get.queryOptions({ flowId, version: callVersion ?? 1 }),
    enabled: callVersion !== null,
  });

  if (draft.isError) return <ErrorState error={draft.error} onRetry={() => void draft.refetch()} />;
  if (
    draft.isPending ||
    (callUuid && (call.isPending || (callVersion !== null && version.isPending)))
  ) {
    return (
      <div
        className="grid h-full grid-cols-[15rem_1fr_20rem] gap-px bg-border"
        data-testid="editor-loading"
      >
        <Skeleton className="rounded-none" />
        <Skeleton className="rounded-none bg-muted/40" />
        <Skeleton className="rounded-none" />
      </div>
    );
  }
  if (!draft.data) {
    return (
      <div className="p-8">
        <MissingFlow />
      </div>
    );
  }
  const resources: ResourceOptions = {
    queue: (queues.data ?? []).map((q) => ({ id: q.id, name: q.name })),
    agentGroup: (groups.data ?? []).map((g) => ({ id: g.id, name: g.name })),
  };
  const execution =
    call.data && version.data
      ? {
          version: version.data.version,
          graph: version.data.graph,
          steps: call.data.steps.map(pathStepOf),
          callLabel: `Call from ${call.data.record.callerNumber} (${call.data.record.outcome ?? "in progress"})`,
        }
      : undefined;
  return (
    <FlowEditor
      flow={{
        id: draft.data.id,
        name: draft.data.name,
        revision: draft.data.revision,
        draft: draft.data.graph,
        liveVersion: draft.data.liveVersion?.version ?? null,
      }}
      versions={versions.data?.items ?? []}
      canPublish={canEdit}
      readOnly={!canEdit}
      resources={resources}
      api={api}
      backHref={`/flows/${flowId}`}
      {...(execution && { execution })}
      onVersionsChanged={() => {
        void queryClient.invalidateQueries({ queryKey: trpc.versions.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.flows.pathKey() });
      }}
    />
  );
}
