"use client";

import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { FlowCanvasNode } from "../model/canvas-mapping";
import { NodeShell } from "./node-shell";
import { readConfig } from "./read-config";

/** Voicemail: the mailbox. */
export const VoicemailNode = memo(function VoicemailNode({
  id,
  data,
  selected,
}: NodeProps<FlowCanvasNode>) {
  const config = readConfig("voicemail", data);
  const mailbox =
    typeof config.mailbox === "string" && config.mailbox !== "" ? config.mailbox : null;
  return (
    <NodeShell
      id={id}
      type="voicemail"
      data={data}
      selected={selected}
      summary={<div>{mailbox ? `Mailbox ${mailbox}` : "No mailbox yet"} · ends the call</div>}
    />
  );
});
