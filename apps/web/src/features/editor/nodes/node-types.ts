import type { FlowNodeType } from "@ringflow/core/flow";
import type { NodeTypes } from "@xyflow/react";
import { NOTE_NODE_TYPE } from "../model/canvas-mapping";
import { AnnounceNode } from "./announce-node";
import { BridgeNode } from "./bridge-node";
import { HangupNode } from "./hangup-node";
import { MenuNode } from "./menu-node";
import { NoteNode } from "./note-node";
import { QueueNode } from "./queue-node";
import { RingGroupNode } from "./ring-group-node";
import { StartNode } from "./start-node";
import { TimeConditionNode } from "./time-condition-node";
import { VoicemailNode } from "./voicemail-node";

/**
 * React Flow's node components, keyed by core's node type names: one per
 * type, checked against the list, so a type core adds cannot be missing a
 * component. Defined once at module scope, as React Flow requires for its
 * memoisation. `note` is the canvas's sticky note, not a flow node type.
 */
export const nodeTypes = {
  start: StartNode,
  announce: AnnounceNode,
  menu: MenuNode,
  timeCondition: TimeConditionNode,
  queue: QueueNode,
  ringGroup: RingGroupNode,
  bridge: BridgeNode,
  voicemail: VoicemailNode,
  hangup: HangupNode,
  [NOTE_NODE_TYPE]: NoteNode,
} satisfies Record<FlowNodeType | typeof NOTE_NODE_TYPE, NodeTypes[string]>;
