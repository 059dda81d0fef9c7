import { describe, expect, it } from "vitest";
import { EslInvalidArgumentError } from "./errors.js";
import { Subscriptions } from "./subscriptions.js";

describe("Subscriptions", () => {
  it("replays only what the switch accepted", () => {
    const subscriptions = new Subscriptions("plain");
    subscriptions.subscribe(["CHANNEL_ANSWER"]).commit();
    for (const step of subscriptions.addFilter("Unique-ID", "abc")) step.commit();
    // Refused by the switch: never committed, so never replayed.
    subscriptions.subscribe(["CHANNEL_PARK"], "json");
    subscriptions.addFilter("Caller-Context", "public");
    expect(subscriptions.restore()).toEqual([
      "event plain BACKGROUND_JOB CHANNEL_ANSWER",
      "filter Event-Name BACKGROUND_JOB",
      "filter Unique-ID abc",
    ]);
  });

  it("keeps CUSTOM subclasses after the CUSTOM keyword and BACKGROUND_JOB through nixevent", () => {
    const subscriptions = new Subscriptions("plain");
    subscriptions.subscribe(["CHANNEL_HANGUP", "custom", "sofia::register"], "json").commit();
    expect(subscriptions.unsubscribe(["BACKGROUND_JOB"])).toBeUndefined();
    const nix = subscriptions.unsubscribe(["channel_hangup"]);
    expect(nix?.command).toBe("nixevent CHANNEL_HANGUP");
    nix?.commit();
    expect(subscriptions.restore()).toEqual(["event json BACKGROUND_JOB CUSTOM sofia::register"]);
    expect(subscriptions.covers(["CHANNEL_HANGUP"])).toBe(false);
  });

  it("refuses what cannot be one protocol token", () => {
    const subscriptions = new Subscriptions("plain");
    expect(() => subscriptions.subscribe(["CHANNEL_ANSWER\nexit"])).toThrow(
      EslInvalidArgumentError,
    );
    expect(() => subscriptions.addFilter("Unique ID", "x")).toThrow(EslInvalidArgumentError);
    expect(() => subscriptions.addFilter("Unique-ID", "x\n\nexit")).toThrow(
      EslInvalidArgumentError,
    );
  });
});
