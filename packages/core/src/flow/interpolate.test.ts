import { describe, expect, it } from "vitest";
import { formatEstimatedWait, interpolate, placeholdersIn } from "./interpolate.js";

describe("interpolate", () => {
  it("fills built-in and caller placeholders", () => {
    expect(
      interpolate("You are number {position}; wait {ewt}. Hello {caller_id_number}!", {
        position: 3,
        ewt: "about 4 minutes",
        caller_id_number: "+15550100",
      }),
    ).toEqual({ text: "You are number 3; wait about 4 minutes. Hello +15550100!", missing: [] });
  });

  it("reads any other name as given (channel variables) and repeats placeholders", () => {
    expect(interpolate("{lang}/{lang}/hello.wav", { lang: "en" }).text).toBe("en/en/hello.wav");
  });

  it("empties unknown or unset placeholders and lists each once", () => {
    expect(interpolate("A{nope} B{position} C{nope}", { position: undefined })).toEqual({
      text: "A B C",
      missing: ["nope", "position"],
    });
  });

  it("does not reach into the prototype of the values object", () => {
    expect(interpolate("{constructor}{toString}{__proto__}", {})).toEqual({
      text: "",
      missing: ["constructor", "toString", "__proto__"],
    });
  });

  it("writes {{ and }} as literal braces, and keeps braces that form no placeholder", () => {
    expect(interpolate("{{position}} is {position}", { position: 2 }).text).toBe("{position} is 2");
    expect(interpolate("{{{position}}}", { position: 2 }).text).toBe("{2}");
    expect(interpolate("press {1} or { position } or {a-b} or {", { position: 2 })).toEqual({
      text: "press {1} or { position } or {a-b} or {",
      missing: [],
    });
  });

  it("writes 0 and the empty string as values, not as missing", () => {
    expect(interpolate("[{a}][{b}]", { a: 0, b: "" })).toEqual({ text: "[0][]", missing: [] });
  });
});

describe("placeholdersIn", () => {
  it("lists each placeholder once, in order, skipping escaped braces", () => {
    expect(placeholdersIn("{ewt} {{skip}} {position} {ewt} {1}")).toEqual(["ewt", "position"]);
  });
});

describe("formatEstimatedWait", () => {
  it("rounds up, never down", () => {
    expect(formatEstimatedWait(0)).toBe("less than a minute");
    expect(formatEstimatedWait(59)).toBe("less than a minute");
    expect(formatEstimatedWait(60)).toBe("about 1 minute");
    expect(formatEstimatedWait(61)).toBe("about 2 minutes");
    expect(formatEstimatedWait(180)).toBe("about 3 minutes");
    expect(formatEstimatedWait(181)).toBe("about 4 minutes");
    expect(formatEstimatedWait(600)).toBe("about 10 minutes");
    expect(formatEstimatedWait(601)).toBe("about 15 minutes");
    expect(formatEstimatedWait(15 * 60 + 1)).toBe("about 20 minutes");
    expect(formatEstimatedWait(55 * 60)).toBe("about 55 minutes");
    expect(formatEstimatedWait(55 * 60 + 1)).toBe("about an hour");
    expect(formatEstimatedWait(3600)).toBe("about an hour");
    expect(formatEstimatedWait(3601)).toBe("more than an hour");
    expect(formatEstimatedWait(Number.POSITIVE_INFINITY)).toBe("more than an hour");
  });

  it("refuses NaN", () => {
    expect(() => formatEstimatedWait(Number.NaN)).toThrow(RangeError);
  });
});
