import { describe, expect, it } from "vitest";
import { drive } from "../../../test/drive.js";
import { buildFlow, setUpFlowTest, traceLines } from "../../../test/flow-harness.js";
import type { Prompt } from "../prompt.js";

function menuFlow(prompt: Prompt, invalidPrompt?: Prompt) {
  return buildFlow(
    {
      start: { type: "start" },
      menu: {
        type: "menu",
        data: {
          prompt,
          ...(invalidPrompt ? { invalidPrompt } : {}),
          options: [{ digit: "1" }, { digit: "#" }],
          retries: 2,
          timeoutSeconds: 4,
        },
      },
      sales: { type: "hangup", data: { cause: "NORMAL_CLEARING" } },
      hash: { type: "hangup", data: { cause: "USER_BUSY" } },
      timedOut: { type: "hangup", data: { cause: "NO_ANSWER" } },
      wrong: { type: "hangup", data: { cause: "CALL_REJECTED" } },
    },
    [
      ["start", "next", "menu"],
      ["menu", "1", "sales"],
      ["menu", "#", "hash"],
      ["menu", "timeout", "timedOut"],
      ["menu", "invalid", "wrong"],
    ],
  );
}

const filePrompt: Prompt = { kind: "file", file: "ivr/menu-{destination_number}.wav" };

describe("FlowEngine.run: menu", () => {
  it("hands a file prompt to play_and_get_digits with every try, and follows the key", async () => {
    const { clock, start, t0 } = setUpFlowTest();
    const { call, report } = start(menuFlow(filePrompt, { kind: "file", file: "ivr/bad.wav" }), {
      media: () => 2000,
    });
    call.pressKeys("silence", { digits: "#", afterMs: 1500 });
    const result = await drive(clock, report);
    expect(call.operationsOf("collectDigits")[0]?.args).toEqual({
      prompt: "ivr/menu-7000.wav",
      invalidPrompt: "ivr/bad.wav",
      minDigits: 1,
      maxDigits: 1,
      tries: 3,
      timeoutMs: 4000,
      terminators: "none",
      regex: "[1#]",
    });
    // Try 1: 2 s prompt + 4 s silence; try 2: 2 s prompt + 1.5 s to the key.
    expect(call.operationsOf("collectDigits")[0]?.endedAt).toBe(t0 + 9500);
    expect(result.trace.find((s) => s.kind === "output" && s.nodeId === "menu")).toMatchObject({
      output: "#",
      detail: { digits: "#" },
    });
    expect(call.endedWith?.cause).toBe("USER_BUSY");
  });

  it("leaves by timeout after every try stayed silent", async () => {
    const { clock, start, t0 } = setUpFlowTest();
    const { call, report } = start(menuFlow(filePrompt), { media: () => 1000 });
    const result = await drive(clock, report);
    expect(call.operationsOf("collectDigits")[0]?.endedAt).toBe(t0 + 3 * 5000);
    expect(traceLines(result.trace)).toContain("output menu timeout");
    expect(call.endedWith?.cause).toBe("NO_ANSWER");
  });

  it("leaves by invalid when the last try got a key not on the menu", async () => {
    const { clock, start } = setUpFlowTest();
    const { call, report } = start(menuFlow(filePrompt));
    call.pressKeys({ digits: "7" }, "silence", { digits: "9" });
    const result = await drive(clock, report);
    expect(result.trace.find((s) => s.kind === "output" && s.nodeId === "menu")).toMatchObject({
      output: "invalid",
      detail: { digits: "9" },
    });
    expect(call.endedWith?.cause).toBe("CALL_REJECTED");
  });

  it("speaks a spoken prompt before each try and collects the key after it", async () => {
    const { clock, start, t0 } = setUpFlowTest();
    const { call, report } = start(
      menuFlow(
        { kind: "speech", text: "For sales press 1, {caller_id_name}." },
        { kind: "speech", text: "Sorry, that key is not on the menu." },
      ),
      { callerIdName: "Ada", media: (s) => (s.kind === "speech" ? 3000 : 250) },
    );
    call.pressKeys({ digits: "5", afterMs: 100 }, { digits: "1", afterMs: 200 });
    const result = await drive(clock, report);
    expect(
      call.operations
        .filter((o) => o.op === "speak" || o.op === "collectDigits")
        .map((o) => [o.op, o.at - t0, o.op === "speak" ? o.args.text : o.args.prompt, o.result]),
    ).toEqual([
      ["speak", 0, "For sales press 1, Ada.", "played"],
      ["collectDigits", 3000, "silence_stream://250", { status: "invalid", digits: "5" }],
      ["speak", 3350, "Sorry, that key is not on the menu.", "played"],
      ["speak", 6350, "For sales press 1, Ada.", "played"],
      ["collectDigits", 9350, "silence_stream://250", { status: "collected", digits: "1" }],
    ]);
    expect(call.operationsOf("collectDigits")[0]?.args).toMatchObject({ tries: 1, regex: "[1#]" });
    expect(traceLines(result.trace)).toContain("output menu 1");
  });

  it("gives up a spoken menu by timeout after retries + 1 tries", async () => {
    const { clock, start } = setUpFlowTest();
    const { call, report } = start(menuFlow({ kind: "speech", text: "Press 1." }));
    const result = await drive(clock, report);
    expect(call.operationsOf("speak")).toHaveLength(3);
    expect(call.operationsOf("collectDigits")).toHaveLength(3);
    expect(traceLines(result.trace)).toContain("output menu timeout");
  });

  it("counts a caller who hangs up in the menu as abandoned", async () => {
    const { clock, start } = setUpFlowTest();
    const { call, report } = start(menuFlow(filePrompt));
    call.hangUpAfter(3000);
    const result = await drive(clock, report);
    expect(result.outcome).toBe("abandoned");
    expect(call.operationsOf("collectDigits")[0]?.endedAt).toBe(result.endedAt);
  });
});
