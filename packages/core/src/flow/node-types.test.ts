import { describe, expect, it } from "vitest";
import { z } from "zod";
import { flowNodeSchema } from "./flow-graph.js";
import { nodeCategories, nodeIconNames } from "./node-type.js";
import {
  type FlowNodeType,
  flowNodeTypeNames,
  flowNodeTypes,
  getNodeType,
  nodeOutputs,
} from "./node-types.js";
import { menuDataSchema } from "./nodes/menu.js";
import { queueDataSchema } from "./nodes/queue.js";

const outputIds = (type: FlowNodeType, data: unknown) =>
  // biome-ignore lint/suspicious/noExplicitAny: the data was parsed by the type's own schema.
  nodeOutputs({ type, data: flowNodeTypes[type].dataSchema.parse(data) as any }).map((o) => o.id);

describe("the node type registry", () => {
  it("lists the nine node types, keyed by their own type", () => {
    expect(flowNodeTypeNames).toEqual([
      "start",
      "announce",
      "menu",
      "timeCondition",
      "queue",
      "ringGroup",
      "bridge",
      "voicemail",
      "hangup",
    ]);
    for (const name of flowNodeTypeNames) {
      const definition = flowNodeTypes[name];
      expect(definition.type).toBe(name);
      expect(definition.label).not.toBe("");
      expect(definition.description).not.toBe("");
    }
    expect(flowNodeSchema.options.map((o) => o.shape.type.value)).toEqual(flowNodeTypeNames);
    expect(getNodeType("queue")).toBe(flowNodeTypes.queue);
    expect(getNodeType("toString")).toBeUndefined();
    expect(getNodeType("teleport")).toBeUndefined();
  });

  it("gives each type an icon and a palette group from the closed lists", () => {
    for (const name of flowNodeTypeNames) {
      expect(nodeIconNames).toContain(flowNodeTypes[name].icon);
      expect(nodeCategories).toContain(flowNodeTypes[name].category);
    }
    // Every listed icon is used, so the editor's icon map holds nothing dead.
    expect(new Set(flowNodeTypeNames.map((n) => flowNodeTypes[n].icon))).toEqual(
      new Set(nodeIconNames),
    );
  });

  it("gives ready-to-use default data, leaving only what an admin must choose", () => {
    const mustChoose: Record<string, string[]> = {
      queue: ["queueId"],
      ringGroup: ["targets.destinations"],
      voicemail: ["mailbox"],
    };
    for (const name of flowNodeTypeNames) {
      const result = flowNodeTypes[name].dataSchema.safeParse(flowNodeTypes[name].defaultData);
      const missing = result.success ? [] : result.error.issues.map((i) => i.path.join("."));
      expect({ name, missing }).toEqual({ name, missing: mustChoose[name] ?? [] });
    }
  });

  it("declares which types end the call, which wait, and which take no input", () => {
    const flags = Object.fromEntries(
      flowNodeTypeNames.map((n) => [
        n,
        [flowNodeTypes[n].terminal, flowNodeTypes[n].waits, flowNodeTypes[n].acceptsInput],
      ]),
    );
    expect(flags).toEqual({
      start: [false, false, false],
      announce: [false, true, true],
      menu: [false, true, true],
      timeCondition: [false, false, true],
      queue: [false, true, true],
      ringGroup: [false, false, true],
      bridge: [false, false, true],
      voicemail: [true, true, true],
      hangup: [true, false, true],
    });
    expect(flowNodeTypes.start.maxPerFlow).toBe(1);
  });

  it("gives the fixed outputs of the fixed types", () => {
    expect(outputIds("start", { numbers: ["7000"] })).toEqual(["next"]);
    expect(outputIds("announce", { message: { kind: "file", file: "a.wav" } })).toEqual(["next"]);
    expect(outputIds("timeCondition", {})).toEqual(["open", "closed"]);
    expect(
      outputIds("ringGroup", { targets: { kind: "destinations", destinations: ["user/1"] } }),
    ).toEqual(["answered", "noAnswer"]);
    expect(outputIds("bridge", {})).toEqual(["completed", "failed"]);
    expect(outputIds("voicemail", { mailbox: "7000" })).toEqual([]);
    expect(outputIds("hangup", {})).toEqual([]);
  });

  it("gives a menu one output per configured key, then timeout and invalid", () => {
    const prompt = { kind: "speech", text: "Press a key" };
    expect(outputIds("menu", { prompt, options: [{ digit: "1" }] })).toEqual([
      "1",
      "timeout",
      "invalid",
    ]);
    const outputs = nodeOutputs({
      type: "menu",
      data: menuDataSchema.parse({
        prompt,
        options: [{ digit: "2", label: "Sales" }, { digit: "*" }, { digit: "#" }, { digit: "0" }],
      }),
    });
    expect(outputs.map((o) => [o.id, o.label])).toEqual([
      ["2", "2: Sales"],
      ["*", "*"],
      ["#", "#"],
      ["0", "0"],
      ["timeout", "Timeout"],
      ["invalid", "Invalid"],
    ]);
  });

  it("gives a queue only the outputs its settings can produce", () => {
    const base = { queueId: "support" };
    expect(outputIds("queue", base)).toEqual(["acquired", "timeout"]);
    expect(outputIds("queue", { ...base, timeoutSeconds: null })).toEqual(["acquired"]);
    expect(outputIds("queue", { ...base, maxWaiting: 10 })).toEqual([
      "acquired",
      "timeout",
      "full",
    ]);
    expect(
      outputIds("queue", { ...base, maxWaiting: 0, leaveWhenNoAgents: true, agentGroupId: "a" }),
    ).toEqual(["acquired", "timeout", "full", "noAgents"]);
  });

  it("describes every config field for the editor's forms, with units on durations", () => {
    for (const name of flowNodeTypeNames) {
      const schema = z.toJSONSchema(flowNodeTypes[name].dataSchema, { io: "input" }) as {
        properties: Record<string, { description?: string }>;
      };
      for (const [field, property] of Object.entries(schema.properties)) {
        expect({ name, field, description: property.description }).toEqual({
          name,
          field,
          description: expect.any(String),
        });
        if (/Seconds$/.test(field)) expect(property.description).toMatch(/seconds/i);
      }
    }
  });
});

describe("queue config", () => {
  it("needs an agent group to leave when no agents are logged in", () => {
    const result = queueDataSchema.safeParse({ queueId: "q", leaveWhenNoAgents: true });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([["agentGroupId"]]);
  });

  it("takes durations in whole seconds", () => {
    const result = queueDataSchema.safeParse({ queueId: "q", timeoutSeconds: 1.5 });
    expect(result.error?.issues.map((i) => i.path)).toEqual([["timeoutSeconds"]]);
  });
});

describe("menu config", () => {
  it("refuses a key used twice, pointing at the second", () => {
    const result = menuDataSchema.safeParse({
      prompt: { kind: "file", file: "menu.wav" },
      options: [{ digit: "1" }, { digit: "2" }, { digit: "1" }],
    });
    expect(result.error?.issues.map((i) => i.path)).toEqual([["options", 2, "digit"]]);
  });

  it("refuses keys that are not one of 0-9 * #, and an empty menu", () => {
    const prompt = { kind: "file", file: "menu.wav" };
    expect(menuDataSchema.safeParse({ prompt, options: [{ digit: "12" }] }).success).toBe(false);
    expect(menuDataSchema.safeParse({ prompt, options: [{ digit: "a" }] }).success).toBe(false);
    expect(menuDataSchema.safeParse({ prompt, options: [] }).success).toBe(false);
  });
});
