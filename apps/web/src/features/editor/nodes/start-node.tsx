"use client";

import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { FlowCanvasNode } from "../model/canvas-mapping";
import { shortList } from "./format";
import { NodeShell } from "./node-shell";
import { readConfig } from "./read-config";

/** The start: the numbers that reach the flow. */
export const StartNode = memo(function StartNode({
  id,
  data,
  selected,
}: NodeProps<FlowCanvasNode>) {
  const config = readConfig("start", data);
  const numbers = Array.isArray(config.numbers) ? config.numbers : [];
  return (
    <NodeShell
      id={id}
      type="start"
      data={data}
      selected={selected}
      summary={
        numbers.length > 0 ? <div>Calls to {shortList(numbers, 3)}</div> : <div>No numbers yet</div>
      }
    />
  );
});
