"use client";

import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { FlowCanvasNode } from "../model/canvas-mapping";
import { formatSeconds } from "./format";
import { NodeShell } from "./node-shell";
import { describePrompt, readConfig } from "./read-config";

/** A menu: its prompt and how long and how often it asks. */
export const MenuNode = memo(function MenuNode({ id, data, selected }: NodeProps<FlowCanvasNode>) {
  const config = readConfig("menu", data);
  const tries = typeof config.retries === "number" ? config.retries + 1 : 3;
  return (
    <NodeShell
      id={id}
      type="menu"
      data={data}
      selected={selected}
      summary={
        <>
          <div className="line-clamp-2">{describePrompt(config.prompt)}</div>
          <div>
            {tries} {tries === 1 ? "try" : "tries"} of {formatSeconds(config.timeoutSeconds ?? 5)}
          </div>
        </>
      }
    />
  );
});
