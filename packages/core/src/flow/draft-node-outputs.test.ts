import { describe, expect, it } from "vitest";
import { draftNodeOutputs } from "./draft-node-outputs.js";
import { flowNodeTypeNames, flowNodeTypes, nodeOutputs } from "./node-types.js";

const ids = (type: string, data: unknown) => draftNodeOutputs(type, data)?.map((o) => o.id);

describe("draftNodeOutputs", () => {
  it("gives every type's fresh node its outputs, though required fields are empty", () => {
    expect(
      Object.fromEntries(flowNodeTypeNames.map((t) => [t, ids(t, flowNodeTypes[t].defaultData)])),
    ).toEqual({
      start: ["next"],
      announce: ["next"],
      menu: ["1", "2", "timeout", "invalid"],
      timeCondition: ["open", "closed"],
      queue: ["acquired", "timeout"],
      ringGroup: ["answered", "noAnswer"],
      bridge: ["completed", "failed"],
      voicemail: [],
      hangup: [],
    });
  });

  it("equals nodeOutputs for a valid config", () => {
    const data = flowNodeTypes.queue.dataSchema.parse({ queueId: "q", maxWaiting: 3 });
    expect(draftNodeOutputs("queue", data)).toEqual(nodeOutputs({ type: "queue", data }));
  });

  it("reads a broken field as its default, keeping the outputs other fields give", () => {
    expect(ids("queue", { queueId: "", timeoutSeconds: -4, maxWaiting: 2 })).toEqual([
      "acquired",
      "timeout",
      "full",
    ]);
  });

  it("gives one handle per key of a menu listing a key twice", () => {
    const data = {
      prompt: { kind: "speech", text: "Press" },
      options: [{ digit: "1" }, { digit: "1" }],
    };
    expect(ids("menu", data)).toEqual(["1", "timeout", "invalid"]);
  });

  it("gives undefined when the outputs cannot be known", () => {
    expect(ids("menu", { options: "1,2" })).toBeUndefined();
    expect(ids("teleport", {})).toBeUndefined();
  });
});
