import { describe, expect, it } from "vitest";
import { decideOutcome, type OutcomeFacts } from "./decide-outcome.js";

const none: OutcomeFacts = {
  connected: false,
  reachedVoicemail: false,
  failed: false,
  verdict: null,
  callerHungUp: false,
};

describe("decideOutcome", () => {
  it.each<[string, Partial<OutcomeFacts>, string]>([
    [
      "connected, whatever followed",
      { connected: true, reachedVoicemail: true, failed: true, callerHungUp: true },
      "answered",
    ],
    [
      "voicemail after a queue timeout",
      { reachedVoicemail: true, verdict: "timeout", callerHungUp: true },
      "voicemail",
    ],
    [
      "an error before anyone was reached",
      { failed: true, verdict: "noAnswer", callerHungUp: true },
      "failed",
    ],
    [
      "the caller leaves during the message after a timeout",
      { verdict: "timeout", callerHungUp: true },
      "timeout",
    ],
    ["the flow hangs up after nobody answered", { verdict: "noAnswer" }, "noAnswer"],
    ["the caller hangs up while still being served", { callerHungUp: true }, "abandoned"],
    ["the flow ends the call itself", {}, "noAnswer"],
  ])("%s", (_, facts, outcome) => {
    expect(decideOutcome({ ...none, ...facts })).toBe(outcome);
  });
});
