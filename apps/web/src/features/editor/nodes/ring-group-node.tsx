"use client";

import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { FlowCanvasNode } from "../model/canvas-mapping";
import { useResourceName } from "../state/resource-names";
import { formatSeconds, shortList } from "./format";
import { NodeShell } from "./node-shell";
import { readConfig } from "./read-config";

/** A ring group: whom it rings, how, and for how long. */
export const RingGroupNode = memo(function RingGroupNode({
  id,
  data,
  selected,
}: NodeProps<FlowCanvasNode>) {
  const config = readConfig("ringGroup", data);
  const targets = config.targets;
  const groupId = targets?.kind === "agentGroup" ? targets.agentGroupId : undefined;
  const groupName = useResourceName("agentGroup", groupId);
  const whom =
    targets?.kind === "agentGroup"
      ? targets.agentGroupId
        ? `Agents of ${groupName ?? `${targets.agentGroupId} (not found)`}`
        : "No agent group chosen"
      : targets?.kind === "destinations" && targets.destinations.length > 0
        ? shortList(targets.destinations)
        : "Nobody to ring yet";
  return (
    <NodeShell
      id={id}
      type="ringGroup"
      data={data}
      selected={selected}
      summary={
        <>
          <div className="truncate font-medium text-foreground">{whom}</div>
          <div>
            {config.mode ?? "parallel"} · {formatSeconds(config.legTimeoutSeconds ?? 20)} each
          </div>
        </>
      }
    />
  );
});
