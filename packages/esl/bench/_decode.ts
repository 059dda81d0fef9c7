import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { readMessages } from "../src/message-reader.js";
const data = readFileSync("/tmp/esl-stream.bin");
const CHUNK = 65536;
function once(): number {
  const sock = new EventEmitter() as any;
  let n = 0;
  readMessages(sock, (m) => { n++; if (m.kind === "event") { const e = m.event; e.name; e.uniqueId; e.jobUuid; e.applicationUuid; e.hangupCause; e.variable("ringflow_leg"); } }, (e) => { throw e; });
  for (let i = 0; i < data.length; i += CHUNK) sock.emit("data", data.subarray(i, i + CHUNK));
  return n;
}
for (let i = 0; i < 20; i++) once();
const rounds = 100; let msgs = 0;
const t0 = process.cpuUsage();
for (let i = 0; i < rounds; i++) msgs = once();
const t = process.cpuUsage(t0);
console.log(`${msgs} messages, ${((t.user + t.system) / rounds / msgs).toFixed(2)} us/message`);
