import { describe, expect, it } from "vitest";
import { apiResponse, commandReply, connectReply, eventFrame, lingerNotice } from "./frames.js";
import { FsEvent } from "./fs-event.js";

describe("FsEvent serialization", () => {
  const ev = () => {
    const e = new FsEvent("BACKGROUND_JOB");
    e.add("Event-Name", "BACKGROUND_JOB").add("Job-Command-Arg", "{a=b}x &park()").add("Empty", "");
    return e;
  };

  it("plain: encoded values; a body follows an inner Content-Length; otherwise one blank line", () => {
    const e = ev();
    expect(e.toPlain()).toBe(
      "Event-Name: BACKGROUND_JOB\nJob-Command-Arg: %7Ba%3Db%7Dx%20%26park()\n\n",
    );
    e.body = "+OK\n";
    const withBody = new FsEvent("X");
    withBody.add("A", "1");
    withBody.body = "+OK é\n";
    expect(withBody.toPlain()).toBe("A: 1\nContent-Length: 7\n\n+OK é\n");
  });

  it("json: one line, strings only, _body last", () => {
    const e = new FsEvent("X");
    e.add("Event-Sequence", 12).add("IPv6", "fd00::2");
    e.body = "6";
    expect(e.toJson()).toBe(
      '{"Event-Sequence":"12","IPv6":"fd00::2","Content-Length":"1","_body":"6"}',
    );
  });

  it("envelopes keep FreeSWITCH's header order per message type", () => {
    const e = new FsEvent("X");
    e.add("A", "1");
    expect(eventFrame(e, "plain")).toBe(
      "Content-Length: 6\nContent-Type: text/event-plain\n\nA: 1\n\n",
    );
    expect(apiResponse("é")).toBe("Content-Type: api/response\nContent-Length: 2\n\né");
    expect(commandReply("+OK Job-UUID: j", [["Job-UUID", "j"]])).toBe(
      "Content-Type: command/reply\nReply-Text: +OK Job-UUID: j\nJob-UUID: j\n\n",
    );
    expect(connectReply(e, false, true)).toBe(
      "A: 1\nContent-Type: command/reply\nReply-Text: %2BOK%0A\nSocket-Mode: static\nControl: full\n\n",
    );
    expect(lingerNotice("u", "n", 1)).toBe(
      "Content-Type: text/disconnect-notice\nControlled-Session-UUID: u\nContent-Disposition: linger\nChannel-Name: n\nLinger-Time: 1\nContent-Length: 0\n\n",
    );
  });
});
