import type { FlowGraph, FlowGraphInput } from "./flow-graph.js";
import { parseFlowGraph } from "./parse-flow-graph.js";

const demo = {
  schemaVersion: 1,
  nodes: [
    {
      id: "start",
      type: "start",
      position: { x: 0, y: 200 },
      data: { label: "Support line", numbers: ["7000"] },
    },
    {
      id: "hours",
      type: "timeCondition",
      position: { x: 250, y: 200 },
      // No `hours`: the default is open 24/7.
      data: { label: "Opening hours", timeZone: "Europe/London" },
    },
    {
      id: "closed",
      type: "announce",
      position: { x: 500, y: 400 },
      data: {
        label: "Closed",
        message: { kind: "speech", text: "We are closed. Please leave a message after the tone." },
      },
    },
    {
      id: "queue",
      type: "queue",
      position: { x: 500, y: 200 },
      data: { label: "Support queue", queueId: "support", maxConcurrent: 2, timeoutSeconds: 300 },
    },
    {
      id: "agents",
      type: "ringGroup",
      position: { x: 750, y: 200 },
      data: {
        label: "Support agents",
        targets: { kind: "destinations", destinations: ["user/1001", "user/1002", "user/1003"] },
        mode: "parallel",
        legTimeoutSeconds: 20,
        totalTimeoutSeconds: 30,
      },
    },
    {
      id: "busy",
      type: "announce",
      position: { x: 750, y: 0 },
      data: {
        label: "Still busy",
        message: {
          kind: "speech",
          text: "All our agents are still busy. Please stay on the line.",
        },
      },
    },
    {
      id: "connect",
      type: "bridge",
      position: { x: 1000, y: 200 },
      data: { label: "Connect to agent", to: { kind: "answeredLeg" } },
    },
    { id: "bye", type: "hangup", position: { x: 1250, y: 200 }, data: { label: "End" } },
    {
      id: "voicemail",
      type: "voicemail",
      position: { x: 750, y: 400 },
      data: { label: "Support mailbox", mailbox: "7000" },
    },
  ],
  edges: [
    { id: "start-hours", source: "start", sourceHandle: "next", target: "hours" },
    { id: "hours-queue", source: "hours", sourceHandle: "open", target: "queue" },
    { id: "hours-closed", source: "hours", sourceHandle: "closed", target: "closed" },
    { id: "closed-voicemail", source: "closed", sourceHandle: "next", target: "voicemail" },
    { id: "queue-agents", source: "queue", sourceHandle: "acquired", target: "agents" },
    { id: "queue-voicemail", source: "queue", sourceHandle: "timeout", target: "voicemail" },
    { id: "agents-connect", source: "agents", sourceHandle: "answered", target: "connect" },
    { id: "agents-busy", source: "agents", sourceHandle: "noAnswer", target: "busy" },
    { id: "busy-queue", source: "busy", sourceHandle: "next", target: "queue" },
    { id: "connect-bye", source: "connect", sourceHandle: "completed", target: "bye" },
    { id: "connect-busy", source: "connect", sourceHandle: "failed", target: "busy" },
  ],
} satisfies FlowGraphInput;

/**
 * A small flow that validates without a single problem, for seed data, the
 * simulator's demo and tests. Number 7000: opening hours (open 24/7) →
 * queue `support` (2 at a time, 5 minutes' wait at most, then voicemail) →
 * ring user/1001-1003 in parallel → connect → hang up. When nobody answers,
 * or the connection fails, the caller hears a short message and queues again.
 *
 * Returns a fresh copy on every call, so callers may change it freely.
 */
export function createDemoFlow(): FlowGraph {
  return parseFlowGraph(demo);
}
