import { describe, expect, it } from "vitest";
import {
  AgentFeatureCode,
  agentFeatureCodeOf,
  isAgentPhone,
  statusAfterFeatureCode,
} from "./feature-codes.js";

describe("agent feature codes", () => {
  it("recognises *50 and *51 and nothing else", () => {
    expect(agentFeatureCodeOf("*50")).toBe(AgentFeatureCode.LogInOut);
    expect(agentFeatureCodeOf("*51")).toBe(AgentFeatureCode.Break);
    expect(agentFeatureCodeOf("*52")).toBeNull();
    expect(agentFeatureCodeOf("5000")).toBeNull();
    expect(agentFeatureCodeOf("50")).toBeNull();
  });

  it("*50 toggles logged in / logged out", () => {
    expect(statusAfterFeatureCode("*50", "loggedOut")).toEqual({
      status: "available",
      changed: true,
    });
    expect(statusAfterFeatureCode("*50", "available")).toEqual({
      status: "loggedOut",
      changed: true,
    });
    expect(statusAfterFeatureCode("*50", "onBreak")).toEqual({
      status: "loggedOut",
      changed: true,
    });
  });

  it("*51 toggles the break, and a logged-out agent cannot take one", () => {
    expect(statusAfterFeatureCode("*51", "available")).toEqual({
      status: "onBreak",
      changed: true,
    });
    expect(statusAfterFeatureCode("*51", "onBreak")).toEqual({
      status: "available",
      changed: true,
    });
    expect(statusAfterFeatureCode("*51", "loggedOut")).toEqual({
      status: "loggedOut",
      changed: false,
    });
  });

  it("identifies an agent's phone by its extension", () => {
    expect(isAgentPhone("user/1001", "1001")).toBe(true);
    expect(isAgentPhone("user/1001@example.com", "1001")).toBe(true);
    expect(isAgentPhone("sofia/gateway/gw/5551234", "5551234")).toBe(true);
    expect(isAgentPhone("user/1001", "10011")).toBe(false);
    expect(isAgentPhone("user/1001", "")).toBe(false);
  });
});
