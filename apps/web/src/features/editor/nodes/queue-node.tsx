"use client";

import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { FlowCanvasNode } from "../model/canvas-mapping";
import { useResourceName } from "../state/resource-names";
import { formatSeconds } from "./format";
import { NodeShell } from "./node-shell";
import { readConfig } from "./read-config";

/** A queue: which line, how many at once, how long at most. */
export const QueueNode = memo(function QueueNode({
  id,
  data,
  selected,
}: NodeProps<FlowCanvasNode>) {
  const config = readConfig("queue", data);
  const queueId =
    typeof config.queueId === "string" && config.queueId !== "" ? config.queueId : null;
  const timeout = config.timeoutSeconds;
  const name = useResourceName("queue", queueId ?? undefined);
  return (
    <NodeShell
      id={id}
      type="queue"
      data={data}
      selected={selected}
      summary={
        <>
          <div className="font-medium text-foreground">
            {queueId
              ? name && name !== queueId
                ? `${name} (${queueId})`
                : `Queue ${queueId}`
              : "No queue chosen"}
          </div>
          <div>
            {config.maxConcurrent ?? 1} at a time ·{" "}
            {timeout === null ? "no time limit" : `up to ${formatSeconds(timeout ?? 300)}`}
          </div>
        </>
      }
    />
  );
});
