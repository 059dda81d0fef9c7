import { describe, expect, it } from "vitest";
import {
  AGENT_SELF_ACTIONS,
  AgentFeatureCode,
  AgentSelfActionRefusedError,
  agentFeatureCodeOf,
  isAgentPhone,
  statusAfterFeatureCode,
  statusAfterSelfAction,
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

  it("the agent page's actions follow the feature codes' rule, and a repeat changes nothing", () => {
    expect(AGENT_SELF_ACTIONS).toEqual(["logIn", "logOut", "startBreak", "endBreak"]);
    expect(statusAfterSelfAction("logIn", "loggedOut")).toEqual({
      status: "available",
      changed: true,
    });
    expect(statusAfterSelfAction("logOut", "available")).toEqual({
      status: "loggedOut",
      changed: true,
    });
    expect(statusAfterSelfAction("logOut", "onBreak")).toEqual({
      status: "loggedOut",
      changed: true,
    });
    expect(statusAfterSelfAction("startBreak", "available")).toEqual({
      status: "onBreak",
      changed: true,
    });
    expect(statusAfterSelfAction("endBreak", "onBreak")).toEqual({
      status: "available",
      changed: true,
    });
    // Already there: a second click (or another tab) does not toggle back.
    expect(statusAfterSelfAction("startBreak", "onBreak")).toEqual({
      status: "onBreak",
      changed: false,
    });
    expect(statusAfterSelfAction("logIn", "available")).toEqual({
      status: "available",
      changed: false,
    });
    expect(statusAfterSelfAction("logOut", "loggedOut")).toEqual({
      status: "loggedOut",
      changed: false,
    });
  });

  it("refuses a break while logged out, as *51 does, and logging in from a break", () => {
    for (const action of ["startBreak", "endBreak"] as const) {
      const refusal = (() => {
        try {
          statusAfterSelfAction(action, "loggedOut");
        } catch (error) {
          return error;
        }
        return null;
      })();
      expect(refusal).toBeInstanceOf(AgentSelfActionRefusedError);
      expect(refusal).toMatchObject({ code: "AGENT_ACTION_REFUSED", action, current: "loggedOut" });
      expect((refusal as Error).message).toMatch(/log in/);
    }
    // "Log in" from a break would be *50, which logs out: refused, not the opposite of what was asked.
    expect(() => statusAfterSelfAction("logIn", "onBreak")).toThrow(/end the break/);
  });
});
