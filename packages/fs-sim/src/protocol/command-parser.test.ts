import { describe, expect, it } from "vitest";
import { CommandParser, EslFramingError } from "./command-parser.js";

describe("CommandParser", () => {
  it("splits merged commands and skips blank lines, CRLF or LF", () => {
    const p = new CommandParser();
    const cmds = p.feed(
      Buffer.from("\n\r\nauth ClueCon\r\n\r\napi status\n\nsendmsg u\nFoo: bar\n\n"),
    );
    expect(cmds).toEqual([
      { line: "auth ClueCon", headers: [] },
      { line: "api status", headers: [] },
      { line: "sendmsg u", headers: [["Foo", "bar"]] },
    ]);
  });

  it("waits for the whole command and for Content-Length body bytes", () => {
    const p = new CommandParser();
    const text = "sendmsg\ncontent-type: text/plain\ncontent-length: 6\n\nZoë!!";
    const bytes = Buffer.from(text);
    const out = [];
    for (let i = 0; i < bytes.length; i++) out.push(...p.feed(bytes.subarray(i, i + 1)));
    expect(out).toHaveLength(1);
    expect(out[0]?.body).toBe("Zoë!!");
  });

  it("refuses a Content-Length over 16 MiB or negative, as FS drops the connection", () => {
    expect(() =>
      new CommandParser().feed(Buffer.from("sendmsg\nContent-Length: 99999999\n\n")),
    ).toThrow(EslFramingError);
    expect(() => new CommandParser().feed(Buffer.from("sendmsg\nContent-Length: -1\n\n"))).toThrow(
      EslFramingError,
    );
  });
});
