"use client";

import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { FlowCanvasNode } from "../model/canvas-mapping";
import { NodeShell } from "./node-shell";
import { describePrompt, readConfig } from "./read-config";

/** An announcement: what it plays. */
export const AnnounceNode = memo(function AnnounceNode({
  id,
  data,
  selected,
}: NodeProps<FlowCanvasNode>) {
  const config = readConfig("announce", data);
  return (
    <NodeShell
      id={id}
      type="announce"
      data={data}
      selected={selected}
      summary={<div className="line-clamp-2">{describePrompt(config.message)}</div>}
    />
  );
});
