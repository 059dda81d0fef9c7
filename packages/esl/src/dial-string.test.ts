import { describe, expect, it } from "vitest";
import { expandBackslashes, parseBrackets, parseOriginate } from "../test/fs-tokenizer.js";
import {
  assertDestination,
  escapeApiArgument,
  escapeForExpansion,
  formatChannelVariables,
} from "./dial-string.js";
import { EslInvalidArgumentError } from "./errors.js";

const awkward: Record<string, string> = {
  comma: "Sales, 2nd line",
  spaces: "  padded  value ",
  single: "it's",
  double: 'say "hi"',
  backslash: "C:\\queue\\new",
  equals: "a=b=c",
  percent: "50%",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeSWITCH's ${...} syntax, sent literally
  braces: "${caller_id_name}",
  everything: `'"\\, =x `,
  escapes: "\\s\\n\\t\\'",
};

describe("formatChannelVariables", () => {
  it("formats plain values as FreeSWITCH's own commands do", () => {
    expect(
      formatChannelVariables({
        origination_uuid: "06a00000-0000-4000-8000-000000000006",
        originate_timeout: "10",
        ignore_early_media: "true",
      }),
    ).toBe(
      "{origination_uuid=06a00000-0000-4000-8000-000000000006,originate_timeout=10,ignore_early_media=true}",
    );
  });

  it("survives the originate API's three tokenizer passes with commas, spaces, quotes and backslashes", () => {
    const args = `${escapeApiArgument(`${formatChannelVariables(awkward)}user/1001`)} &park()`;
    const parsed = parseOriginate(args);
    expect(parsed.argv).toHaveLength(2);
    expect(parsed.argv[1]).toBe("&park()");
    expect(parsed.destination).toBe("user/1001");
    expect(parsed.variables).toEqual(awkward);
  });

  it("survives the bridge app's backslash expansion and bracket parsing", () => {
    // The bridge app's data is also ${...}-expanded by the switch: that part is not modelled.
    const { braces: _expanded, ...literal } = awkward;
    const data = `${escapeForExpansion(formatChannelVariables(literal))}user/1001`;
    const { variables, rest } = parseBrackets(expandBackslashes(data));
    expect(rest).toBe("user/1001");
    expect(variables).toEqual(literal);
  });

  it("is needed: the same values joined naively come out mangled", () => {
    const naive = `{${Object.entries(awkward)
      .map(([name, value]) => `${name}=${value}`)
      .join(",")}}user/1001 &park()`;
    let parsed: Record<string, string> | "parse error";
    try {
      parsed = parseOriginate(naive).variables;
    } catch {
      parsed = "parse error";
    }
    expect(parsed).not.toEqual(awkward);
  });

  it.each([
    ["an unbalanced brace", { x: "a}b" }],
    ["an opening brace left open", { x: "{a" }],
    ["a line break", { x: "a\nb" }],
    ["a control character", { x: "a\u0007b" }],
    ["a bad name", { "bad name": "x" }],
  ])("refuses %s", (_, variables) => {
    expect(() => formatChannelVariables(variables)).toThrow(EslInvalidArgumentError);
  });
});

describe("assertDestination", () => {
  it.each([
    "user/1001",
    "sofia/gateway/gw1/5551234",
    "[leg_timeout=2]user/1002",
    "[leg_timeout=2,sip_h_X-Group=a|b]user/1002",
  ])("accepts %s", (d) => {
    expect(() => assertDestination(d)).not.toThrow();
  });

  it.each([
    "user/1001 &park()",
    "",
    "{a=b}user/1001",
    "&bridge(user/1)",
    "user/'1001'",
    "user/1001,user/1002",
    "[a=1]user/1001|user/1002",
    "user/1001:_:user/1002",
  ])("refuses %j", (d) => {
    expect(() => assertDestination(d)).toThrow(EslInvalidArgumentError);
  });
});
