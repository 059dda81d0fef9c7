import { describe, expect, it } from "vitest";
import { parseDialString, splitArgs } from "./dial-string.js";
import { separateString } from "./separate-string.js";

// Expected values follow switch_separate_string / cleanup_separated_string
// in FreeSWITCH's src/switch_utils.c.
describe("separateString on spaces", () => {
  it.each([
    ["a  b ", ["a", "b"]],
    ["  a b", ["a", "b"]],
    ["'a b' c", ["a b", "c"]],
    ["a\\sb c", ["a b", "c"]],
    ["x\\\\y", ["x\\y"]],
    ["a\\ b", ["a\\ b"]],
    ["\\d+ \\'q\\'", ["\\d+", "'q'"]],
    ['"a b"', ['"a', 'b"']],
    ["'' x", ["", "x"]],
  ])("%j → %j", (input, parts) => {
    expect(separateString(input, " ")).toEqual(parts);
  });

  it("lets the last of `max` parts run to the end", () => {
    expect(separateString("a b  c d", " ", 2)).toEqual(["a", "b  c d"]);
  });
});

describe("separateString on a character", () => {
  it.each([
    ["a,b", ",", ["a", "b"]],
    ["a\\,b,c", ",", ["a,b", "c"]],
    ["a,", ",", ["a"]],
    [",a", ",", ["", "a"]],
    ["'a,b',c", ",", ["a,b", "c"]],
    ["it's,x", ",", ["it's", "x"]],
    ["k=a=b", "=", ["k", "a=b"]],
    ["k = v ", "=", ["k", "v"]],
  ])("%j on %j → %j", (input, delim, parts) => {
    expect(separateString(input, delim, delim === "=" ? 2 : undefined)).toEqual(parts);
  });
});

describe("dial strings and API arguments", () => {
  it("unescapes variables through the three passes an originate argument goes through", () => {
    // What a client sends for name="Support, 2nd line", group="a=b c": escaped
    // for the `=` pass, then the `,` pass, then the API's split on spaces.
    const line =
      "{name=Support\\\\,\\\\\\\\s2nd\\\\\\\\sline,group=a\\\\\\\\=b\\\\\\\\sc}user/1001 &park()";
    const [dial, app] = splitArgs(line) as [string, string];
    expect(app).toBe("&park()");
    const parsed = parseDialString(dial);
    expect(Object.fromEntries(parsed.global)).toEqual({
      name: "Support, 2nd line",
      group: "a=b c",
    });
    expect(parsed.groups).toEqual([[{ endpoint: "user/1001", vars: new Map() }]]);
  });

  it("finds the end of a {} block by nesting, as switch_find_end_paren does", () => {
    const ref = (name: string) => `$\{${name}}`; // FreeSWITCH's ${name}
    const parsed = parseDialString(`{a=${ref("b")},c=d}[x=${ref("y")}]user/1001,user/1002`);
    expect(Object.fromEntries(parsed.global)).toEqual({ a: ref("b"), c: "d" });
    expect(parsed.groups[0]?.map((l) => [l.endpoint, Object.fromEntries(l.vars)])).toEqual([
      ["user/1001", { x: ref("y") }],
      ["user/1002", {}],
    ]);
  });
});
