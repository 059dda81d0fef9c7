import { ManualClock } from "@ringflow/core/testing";
import { describe, expect, it } from "vitest";
import { CommandQueue } from "./command-queue.js";
import { EslOverloadedError, EslTimeoutError } from "./errors.js";
import type { EslReply } from "./message-reader.js";

function reply(text: string): EslReply {
  return { contentType: "api/response", text, body: `${text}\n`, headers: new Map() } as EslReply;
}

/** A queue over a recording write; `written` lists each command as it goes out. */
function queue(maxInFlight: number, maxQueued?: number) {
  const clock = new ManualClock();
  const written: string[] = [];
  const commands = new CommandQueue(
    (wire) => {
      for (const line of wire.split("\n\n")) if (line !== "") written.push(line);
    },
    clock,
    maxInFlight,
    maxQueued,
  );
  return { clock, written, commands };
}

function outcome(promise: Promise<EslReply>): Promise<string | Error> {
  return promise.then(
    (r) => r.text,
    (error: Error) => error,
  );
}

describe("CommandQueue", () => {
  it("gives a command that waited behind a slow reply its whole timeout, counted from its write", async () => {
    const { clock, written, commands } = queue(1);
    const first = outcome(commands.send("api a\n\n", "api a", 1_000));
    const second = outcome(commands.send("api b\n\n", "api b", 1_000));
    expect(written).toEqual(["api a"]);
    await clock.advance(900);
    commands.deliver(reply("+OK a"));
    expect(written).toEqual(["api a", "api b"]);
    // 1,100 ms after it was queued, 200 ms after it was written: its reply
    // is still awaited (counted from the queueing, it had 100 ms left and
    // the switch would have carried out a command already given up on).
    await clock.advance(200);
    commands.deliver(reply("+OK b"));
    expect(await first).toBe("+OK a");
    expect(await second).toBe("+OK b");
  });

  it("drops unsent, as not written, a command that waited its whole timeout for a slot", async () => {
    const { clock, written, commands } = queue(1);
    const first = outcome(commands.send("api a\n\n", "api a", 5_000));
    const second = outcome(commands.send("api b\n\n", "api b", 1_000));
    await clock.advance(1_000);
    const error = await second;
    expect(error).toBeInstanceOf(EslTimeoutError);
    expect(error).toMatchObject({ command: "api b", written: false });
    commands.deliver(reply("+OK a"));
    expect(await first).toBe("+OK a");
    expect(written).toEqual(["api a"]);
    expect(commands.size).toBe(0);
  });

  it("times out a written command as written, and keeps its slot until its late reply", async () => {
    const { clock, written, commands } = queue(1);
    const first = outcome(commands.send("api a\n\n", "api a", 1_000));
    const second = outcome(commands.send("api b\n\n", "api b", 10_000));
    await clock.advance(1_000);
    expect(await first).toMatchObject({ command: "api a", written: true });
    expect(written).toEqual(["api a"]);
    commands.deliver(reply("+OK a (late)"));
    expect(written).toEqual(["api a", "api b"]);
    commands.deliver(reply("+OK b"));
    expect(await second).toBe("+OK b");
  });

  it("refuses a command at once, unsent, when maxQueued already wait for a slot", async () => {
    const { clock, written, commands } = queue(2, 1);
    const inFlight = [
      outcome(commands.send("api a\n\n", "api a", 1_000)),
      outcome(commands.send("api b\n\n", "api b", 1_000)),
    ];
    const waiting = outcome(commands.send("api c\n\n", "api c", 1_000));
    const refused = await outcome(commands.send("api d\n\n", "api d", 1_000));
    expect(refused).toBeInstanceOf(EslOverloadedError);
    expect(refused).toMatchObject({ command: "api d", maxQueued: 1 });
    expect(written).toEqual(["api a", "api b"]);
    commands.deliver(reply("+OK a"));
    commands.deliver(reply("+OK b"));
    commands.deliver(reply("+OK c"));
    expect(await Promise.all([...inFlight, waiting])).toEqual(["+OK a", "+OK b", "+OK c"]);
    expect(written).toEqual(["api a", "api b", "api c"]);
    await clock.advance(1_000);
    expect(commands.size).toBe(0);
  });

  it("under a steady lag in the replies, never gives up on a command it wrote that the switch answers in time", async () => {
    // Eight commands queued at once, two in flight, 1,000 ms timeout; the
    // switch's replies (behind a backlog of events) each come 400 ms after
    // the command was written. Counted from the queueing, c4 and c5 went
    // out at 800 ms with 200 ms left and timed out, though the switch
    // carried them out: work done for callers who had given up on it.
    // Now a command is either answered or dropped before it is written.
    const { clock, written, commands } = queue(2);
    const results = Array.from({ length: 8 }, (_, i) =>
      outcome(commands.send(`api c${i}\n\n`, `api c${i}`, 1_000)),
    );
    let answered = 0;
    for (let round = 0; round < 6; round++) {
      await clock.advance(400);
      const due = Math.min(2, written.length - answered);
      for (let i = 0; i < due; i++) commands.deliver(reply(`+OK c${answered++}`));
    }
    const texts = await Promise.all(results);
    for (const [i, text] of texts.entries()) {
      if (written.includes(`api c${i}`)) expect(text).toBe(`+OK c${i}`);
      else expect(text).toMatchObject({ command: `api c${i}`, written: false });
    }
    expect(written).toEqual(["api c0", "api c1", "api c2", "api c3", "api c4", "api c5"]);
  });
});
