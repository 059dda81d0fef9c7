"use client";

import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { FlowCanvasNode } from "../model/canvas-mapping";
import { NodeShell } from "./node-shell";
import { readConfig } from "./read-config";

/** Hang up: the cause the caller's side is told. */
export const HangupNode = memo(function HangupNode({
  id,
  data,
  selected,
}: NodeProps<FlowCanvasNode>) {
  const config = readConfig("hangup", data);
  return (
    <NodeShell
      id={id}
      type="hangup"
      data={data}
      selected={selected}
      summary={<div className="font-mono text-[11px]">{config.cause ?? "NORMAL_CLEARING"}</div>}
    />
  );
});
