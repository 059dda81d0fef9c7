import { FLOW_SCHEMA_VERSION, type FlowDraft } from "@ringflow/core/flow";

/** A starting point for a new flow. */
export interface FlowTemplate {
  readonly id: "blank" | "queue-ring-voicemail" | "business-hours-menu";
  readonly name: string;
  readonly description: string;
  /** The flow; `timeZone` is the opening hours' zone (the admin's own, say). */
  build(options?: { readonly timeZone?: string }): FlowDraft;
}

type Spec = [id: string, type: string, x: number, y: number, data: Record<string, unknown>];

function flow(nodes: Spec[], edges: string[]): FlowDraft {
  return {
    schemaVersion: FLOW_SCHEMA_VERSION,
    nodes: nodes.map(([id, type, x, y, data]) => ({ id, type, position: { x, y }, data })),
    edges: edges.map((spec) => {
      const [from = "", target = ""] = spec.split("->");
      const [source = "", sourceHandle = ""] = from.split(".");
      return { id: `${source}-${sourceHandle}`, source, sourceHandle, target };
    }),
  };
}

const destinations = (...list: string[]) => ({ kind: "destinations", destinations: list });

/**
 * The templates the new-flow dialog offers. Each validates without an
 * error; the start's numbers are left for the admin to fill in.
 */
export const flowTemplates: readonly FlowTemplate[] = [
  {
    id: "blank",
    name: "Blank",
    description: "Only the start: draw the rest yourself.",
    build: () => flow([["start", "start", 0, 160, { numbers: [] }]], []),
  },
  {
    id: "queue-ring-voicemail",
    name: "Queue → ring group → voicemail",
    description:
      "Callers wait in line, agents are rung, and nobody answering sends them to voicemail.",
    build: () =>
      flow(
        [
          ["start", "start", 0, 160, { numbers: [] }],
          ["queue", "queue", 320, 160, { label: "Support queue", queueId: "support" }],
          [
            "agents",
            "ringGroup",
            640,
            160,
            { label: "Support agents", targets: destinations("user/1001", "user/1002") },
          ],
          ["connect", "bridge", 960, 160, { to: { kind: "answeredLeg" } }],
          ["mailbox", "voicemail", 960, 400, { mailbox: "support" }],
          ["end", "hangup", 1280, 160, {}],
        ],
        [
          "start.next->queue",
          "queue.acquired->agents",
          "queue.timeout->mailbox",
          "agents.answered->connect",
          "agents.noAnswer->mailbox",
          "connect.completed->end",
          "connect.failed->mailbox",
        ],
      ),
  },
  {
    id: "business-hours-menu",
    name: "Business hours menu",
    description:
      "Open on weekdays 9 to 5 with a sales/support menu; a message and voicemail when closed.",
    build: ({ timeZone = "UTC" } = {}) =>
      flow(
        [
          ["start", "start", 0, 240, { numbers: [] }],
          [
            "hours",
            "timeCondition",
            320,
            240,
            {
              label: "Business hours",
              timeZone,
              hours: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "17:00" }],
              holidays: [],
            },
          ],
          [
            "menu",
            "menu",
            640,
            160,
            {
              prompt: { kind: "speech", text: "For sales, press 1. For support, press 2." },
              options: [
                { digit: "1", label: "Sales" },
                { digit: "2", label: "Support" },
              ],
            },
          ],
          [
            "closed",
            "announce",
            640,
            480,
            {
              label: "Closed",
              message: {
                kind: "speech",
                text: "We are closed. Please leave a message after the tone.",
              },
            },
          ],
          ["sales", "ringGroup", 960, 0, { label: "Sales", targets: destinations("user/1001") }],
          [
            "support",
            "ringGroup",
            960,
            240,
            { label: "Support", targets: destinations("user/1002") },
          ],
          ["connect", "bridge", 1280, 96, { to: { kind: "answeredLeg" } }],
          ["mailbox", "voicemail", 1280, 480, { mailbox: "general" }],
          ["end", "hangup", 1280, 272, {}],
        ],
        [
          "start.next->hours",
          "hours.open->menu",
          "hours.closed->closed",
          "closed.next->mailbox",
          "menu.1->sales",
          "menu.2->support",
          "menu.timeout->mailbox",
          "menu.invalid->menu",
          "sales.answered->connect",
          "sales.noAnswer->mailbox",
          "support.answered->connect",
          "support.noAnswer->mailbox",
          "connect.completed->end",
          "connect.failed->mailbox",
        ],
      ),
  },
];
