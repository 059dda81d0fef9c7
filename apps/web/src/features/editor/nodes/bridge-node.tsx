"use client";

import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { FlowCanvasNode } from "../model/canvas-mapping";
import { NodeShell } from "./node-shell";
import { readConfig } from "./read-config";

/** A connect node: the answered agent, or the number it dials. */
export const BridgeNode = memo(function BridgeNode({
  id,
  data,
  selected,
}: NodeProps<FlowCanvasNode>) {
  const config = readConfig("bridge", data);
  const to = config.to;
  return (
    <NodeShell
      id={id}
      type="bridge"
      data={data}
      selected={selected}
      summary={
        <div>
          {to?.kind === "dial"
            ? `Dials ${to.dialString || "…"}`
            : "The agent the ring group reached"}
        </div>
      }
    />
  );
});
