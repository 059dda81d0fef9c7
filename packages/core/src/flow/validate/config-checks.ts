import type { FlowPath } from "../flow-issue.js";
import { builtInPlaceholders, placeholdersIn } from "../interpolate.js";
import { type Prompt, promptTemplate } from "../prompt.js";
import { type CheckedFlow, describeNode } from "./checked-flow.js";
import type { ProblemList } from "./flow-problem.js";

const builtIn = new Set<string>(builtInPlaceholders);

/**
 * Checks of single nodes' settings that are legal but probably not what the
 * admin meant (warnings): a start without numbers, unknown placeholders, a
 * VIP list that gains nothing, one queue configured two ways.
 */
export function checkNodeSettings(flow: CheckedFlow, report: ProblemList): void {
  const queueLimits = new Map<string, { maxConcurrent: number; nodeId: string }>();
  for (const node of flow.nodes.values()) {
    const parsed = node.parsed;
    if (!parsed) continue;
    const dataPath = (...rest: (string | number)[]): FlowPath => [
      "nodes",
      node.index,
      "data",
      ...rest,
    ];
    const checkPrompt = (prompt: Prompt | undefined, field: string) => {
      if (!prompt) return;
      const key = prompt.kind === "file" ? "file" : "text";
      for (const name of placeholdersIn(promptTemplate(prompt))) {
        if (builtIn.has(name)) continue;
        report.add(
          "unknownPlaceholder",
          `${describeNode(node)}: {${name}} is not built in; it is read from the channel variable "${name}" and is empty when that is unset`,
          { nodeId: node.id, path: dataPath(field, key) },
        );
      }
    };
    switch (parsed.type) {
      case "start":
        if (parsed.data.numbers.length === 0) {
          report.add("noNumbers", `${describeNode(node)} has no numbers: no call can reach it`, {
            nodeId: node.id,
            path: dataPath("numbers"),
          });
        }
        break;
      case "announce":
        checkPrompt(parsed.data.message, "message");
        break;
      case "menu":
        checkPrompt(parsed.data.prompt, "prompt");
        checkPrompt(parsed.data.invalidPrompt, "invalidPrompt");
        break;
      case "queue": {
        const data = parsed.data;
        checkPrompt(data.announcement, "announcement");
        if (data.vipNumbers.length > 0 && data.vipPriority >= data.priority) {
          report.add(
            "vipPriorityNotHigher",
            `${describeNode(node)}: VIP callers get priority ${data.vipPriority}, not ahead of ${data.priority} (lower is served first)`,
            { nodeId: node.id, path: dataPath("vipPriority") },
          );
        }
        const seen = queueLimits.get(data.queueId);
        if (!seen) {
          queueLimits.set(data.queueId, { maxConcurrent: data.maxConcurrent, nodeId: node.id });
        } else if (seen.maxConcurrent !== data.maxConcurrent) {
          report.add(
            "inconsistentQueueSettings",
            `${describeNode(node)} lets ${data.maxConcurrent} calls into queue ${data.queueId} at once, but node ${seen.nodeId} lets ${seen.maxConcurrent}`,
            { nodeId: node.id, path: dataPath("maxConcurrent") },
          );
        }
        break;
      }
      case "timeCondition":
      case "ringGroup":
      case "bridge":
      case "voicemail":
      case "hangup":
        break;
      default: {
        const unhandled: never = parsed;
        throw new Error(`unhandled node type ${(unhandled as { type: string }).type}`);
      }
    }
  }
}
