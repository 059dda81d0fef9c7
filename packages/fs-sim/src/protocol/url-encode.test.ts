import { describe, expect, it } from "vitest";
import { fsUrlEncode } from "./url-encode.js";

describe("fsUrlEncode", () => {
  it("encodes FreeSWITCH's unsafe set and keeps / , ( ) . - _ ! * ' $", () => {
    expect(fsUrlEncode("tone_stream://%(200,100,440);loops=2")).toBe(
      "tone_stream%3A//%25(200,100,440)%3Bloops%3D2",
    );
    expect(fsUrlEncode("2026-11-23 18:20:03")).toBe("2026-11-23%2018%3A20%3A03");
    expect(fsUrlEncode("fd00::2")).toBe("fd00%3A%3A2");
    expect(fsUrlEncode("a/b,c(d).e-f_g!h*i'j$")).toBe("a/b,c(d).e-f_g!h*i'j$");
  });

  it("does not encode %XX twice, but encodes a bare %", () => {
    expect(fsUrlEncode("%2BOK%0A")).toBe("%2BOK%0A");
    expect(fsUrlEncode("50%")).toBe("50%25");
    expect(fsUrlEncode("%2b")).toBe("%252b");
  });

  it("encodes UTF-8 per byte and control characters", () => {
    expect(fsUrlEncode("é\n")).toBe("%C3%A9%0A");
  });
});
