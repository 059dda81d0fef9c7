import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import modesl from "modesl";
import { afterEach, describe, expect, it } from "vitest";
import {
  acceptOutbound,
  commandReply,
  dialOutbound,
  FakeSwitch,
  freePort,
} from "../test/fake-switch.js";
import { Recording } from "../test/transcripts.js";

/**
 * The scenarios the package's own tests use to prove modesl's defects are
 * neutralised, run against modesl 1.2.1 alone: each shows the defect is
 * real, so a wrapper that leaned on modesl's Connection would fail them.
 */

const PACKAGE = fileURLToPath(new URL("..", import.meta.url));
const run05 = new Recording("05-outbound-static.jsonl");
const auth = new Recording("01-auth.jsonl");

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function runNode(args: string[]): {
  lines: AsyncIterator<string>;
  exit: Promise<{ code: number | null; stderr: string }>;
} {
  const child = spawn(process.execPath, args, { cwd: PACKAGE, stdio: ["ignore", "pipe", "pipe"] });
  cleanups.push(() => {
    child.kill();
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, stderr })),
  );
  return { lines: createInterface({ input: child.stdout })[Symbol.asyncIterator](), exit };
}

async function nextLine(lines: AsyncIterator<string>): Promise<Record<string, unknown>> {
  const { value, done } = await lines.next();
  if (done) throw new Error("child process ended early");
  return JSON.parse(value) as Record<string, unknown>;
}

describe("modesl 1.2.1 on its own", () => {
  it("(a) hands the sendmsg +OK of execute() to the next command's callback", async () => {
    const netServer: Server = createServer();
    await new Promise<void>((resolve) => netServer.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => netServer.close(() => resolve())));
    const address = netServer.address();
    if (typeof address !== "object" || !address) throw new Error("no address");
    const ready = new Promise<InstanceType<typeof modesl.Connection>>((resolve) =>
      new modesl.Server({ server: netServer, myevents: true }).on("connection::ready", (conn) =>
        resolve(conn),
      ),
    );
    const peer = await dialOutbound(address.port);
    cleanups.unshift(() => {
      peer.socket.destroy();
    });
    await peer.expect("connect");
    peer.send(run05.messages("outbound-1")[0]?.raw ?? "");
    await peer.expect("event json");
    peer.send(commandReply("+OK event listener enabled json"));
    await peer.expect("myevents");
    peer.send(commandReply("+OK Events Enabled"));
    const conn = await ready;

    conn.execute("answer", "", () => undefined);
    const getvar = new Promise<unknown>((resolve) =>
      conn.sendRecv("getvar channel_name", (event) => resolve(event.getHeader("Reply-Text"))),
    );
    await peer.expect("sendmsg");
    peer.send(commandReply("+OK"));
    await peer.expect("getvar channel_name");
    peer.send(run05.replyTo("outbound-1", "getvar channel_name"));
    expect(await getvar).toBe("+OK");
  });

  it("(b) waits for an api/response that an ESL-level refusal never sends, and shifts the next api's reply", async () => {
    const fake = await FakeSwitch.start();
    cleanups.push(() => fake.close());
    const conn = new modesl.Connection("127.0.0.1", fake.port, "ClueCon");
    conn.on("error", () => undefined);
    cleanups.push(() => conn.disconnect());
    const peer = await fake.nextPeer();
    peer.send("Content-Type: auth/request\n\n");
    await peer.expect("auth ClueCon");
    peer.send(commandReply("+OK accepted"));
    await peer.expect("event json");
    peer.send(commandReply("+OK event listener enabled json"));

    const firstGot = new Promise<string>((resolve) =>
      conn.api("status", (event) => resolve(event.getBody())),
    );
    let secondCalled = false;
    conn.api("status", () => {
      secondCalled = true;
    });
    await peer.expect("api status");
    await peer.expect("api status");
    peer.send(auth.replyTo("inbound-2", "api status"));
    peer.send(auth.messages("inbound-2")[3]?.raw ?? "");
    // The first callback receives the second command's output; the second never fires.
    expect(await firstGot).toMatch(/^UP 0 years/);
    expect(secondCalled).toBe(false);
  });

  it("(d) crashes the process on ECONNREFUSED when nobody listens for `error`", async () => {
    const port = await freePort();
    const { exit } = runNode([
      "-e",
      `const esl = require("modesl"); new esl.Connection("127.0.0.1", ${port}, "ClueCon");`,
    ]);
    const { code, stderr } = await exit;
    expect(code).not.toBe(0);
    expect(stderr).toContain("ECONNREFUSED");
  });
});

describe("this package, in a process of its own", () => {
  it("(c) survives a bare % in a reply and returns it verbatim", async () => {
    const { lines, exit } = runNode([
      "--conditions=@ringflow/source",
      "--import",
      "tsx",
      "test/fixtures/getvar-percent.ts",
    ]);
    const { port } = await nextLine(lines);
    const peer = await dialOutbound(Number(port));
    cleanups.push(() => {
      peer.socket.destroy();
    });
    await acceptOutbound(peer, run05.messages("outbound-1")[0]?.raw ?? "");
    await peer.expect("getvar greeting");
    // Byte for byte what FreeSWITCH 1.10.12 sent: "Reply-Text: hello world 50%".
    peer.send(run05.replyTo("outbound-1", "getvar greeting"));
    expect(await nextLine(lines)).toEqual({ value: "hello world 50%" });
    expect(await exit).toMatchObject({ code: 0 });
  });
});
