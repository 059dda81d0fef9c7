import { flowNodeTypeNames, flowNodeTypes } from "@ringflow/core/flow";
import { describe, expect, it } from "vitest";
import { configIssues, formFieldsOf, getAt, setAt } from "./config-fields";

const field = (type: keyof typeof flowNodeTypes, key: string) =>
  formFieldsOf(flowNodeTypes[type].dataSchema).find((f) => f.key === key);

describe("settings forms from the node schemas", () => {
  it("gives every field of every type an input, none falling back to raw JSON", () => {
    const kinds = (fields: ReturnType<typeof formFieldsOf>): string[] =>
      fields.flatMap((f) => [
        f.spec.kind,
        ...(f.spec.kind === "group" ? kinds(f.spec.fields) : []),
        ...(f.spec.kind === "variant" ? f.spec.variants.flatMap((v) => kinds(v.fields)) : []),
        ...(f.spec.kind === "list" && f.spec.item.kind === "group"
          ? kinds(f.spec.item.fields)
          : []),
      ]);
    for (const type of flowNodeTypeNames) {
      expect({ type, kinds: kinds(formFieldsOf(flowNodeTypes[type].dataSchema)) }).not.toEqual(
        expect.objectContaining({ kinds: expect.arrayContaining(["json"]) }),
      );
    }
  });

  it("reads types, bounds, defaults and help from the schema", () => {
    expect(field("queue", "maxConcurrent")).toMatchObject({
      required: false,
      hasDefault: true,
      defaultValue: 1,
      spec: { kind: "integer", minimum: 1, maximum: 1000, nullable: false },
      description: expect.stringContaining("at once"),
    });
    expect(field("queue", "timeoutSeconds")?.spec).toEqual({
      kind: "integer",
      nullable: true,
      minimum: 1,
      maximum: 86_400,
    });
    expect(field("queue", "leaveWhenNoAgents")?.spec).toEqual({ kind: "boolean" });
    expect(field("ringGroup", "mode")?.spec).toEqual({
      kind: "choice",
      options: ["parallel", "sequential", "balancing"],
    });
    expect(field("voicemail", "mailbox")).toMatchObject({ required: true, spec: { kind: "text" } });
  });

  it("turns queue and agent group ids into selects fed by the database", () => {
    expect(field("queue", "queueId")?.spec).toEqual({ kind: "resource", resource: "queue" });
    expect(field("queue", "agentGroupId")?.spec).toEqual({
      kind: "resource",
      resource: "agentGroup",
    });
    const targets = field("ringGroup", "targets")?.spec;
    expect(
      targets?.kind === "variant" &&
        targets.variants.map((v) => [v.value, v.fields.map((f) => f.spec.kind)]),
    ).toEqual([
      ["destinations", ["list"]],
      ["agentGroup", ["resource"]],
    ]);
  });

  it("gives prompts their file/speech variants and menus a list of keys", () => {
    const prompt = field("announce", "message")?.spec;
    expect(prompt).toMatchObject({ kind: "variant", discriminator: "kind" });
    expect(prompt?.kind === "variant" && prompt.variants.map((v) => v.value)).toEqual([
      "file",
      "speech",
    ]);
    const options = field("menu", "options")?.spec;
    expect(options).toMatchObject({
      kind: "list",
      minItems: 1,
      maxItems: 12,
      item: { kind: "group" },
    });
    expect(field("timeCondition", "hours")?.spec).toMatchObject({
      kind: "list",
      item: {
        kind: "group",
        fields: [{ key: "days", spec: { kind: "choices" } }, { key: "from" }, { key: "to" }],
      },
    });
    expect(field("ringGroup", "variables")?.spec).toEqual({ kind: "map" });
  });
});

describe("editing a config by path", () => {
  it("sets nested values, copying only along the path", () => {
    const config = {
      options: [{ digit: "1" }, { digit: "2" }],
      prompt: { kind: "speech", text: "Hi" },
    };
    const next = setAt(config, ["options", 1, "label"], "Support") as typeof config;
    expect(next.options[1]).toEqual({ digit: "2", label: "Support" });
    expect(next.options[0]).toBe(config.options[0]);
    expect(next.prompt).toBe(config.prompt);
    expect(config.options[1]).toEqual({ digit: "2" });
    expect(getAt(next, ["options", 1, "label"])).toBe("Support");
    expect(getAt(next, ["nothing", 3])).toBeUndefined();
  });

  it("removes a key set to undefined, so the default applies again", () => {
    expect(setAt({ label: "x", mode: "parallel" }, ["label"], undefined)).toEqual({
      mode: "parallel",
    });
  });

  it("gives the schema's messages by field", () => {
    const issues = configIssues(flowNodeTypes.menu.dataSchema, {
      prompt: { kind: "speech", text: "Press" },
      options: [{ digit: "1" }, { digit: "1" }],
    });
    expect([...issues]).toEqual([["options.1.digit", ["Key 1 is used twice"]]]);
  });
});
