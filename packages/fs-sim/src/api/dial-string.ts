import { separateString } from "./separate-string.js";

/** One leg of a dial string: its endpoint string and its own `[]` variables. */
export interface DialLeg {
  endpoint: string;
  vars: Map<string, string>;
}

/** `{}` variables, then `|`-separated groups of `,`-separated legs. */
export interface DialString {
  global: Map<string, string>;
  groups: DialLeg[][];
}

/** Splits on `sep` outside of `{}`, `[]`, `<>` and quotes. */
export function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = "";
  let cur = "";
  for (const c of s) {
    if (quote) {
      if (c === quote) quote = "";
      cur += c;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "{" || c === "[" || c === "<") depth++;
    else if (c === "}" || c === "]" || c === ">") depth--;
    if (c === sep && depth === 0) {
      out.push(cur);
      cur = "";
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * Parses `k=v,k2=v2` into `into` as `switch_event_create_brackets` does:
 * split on `,`, then each pair on the first `=`, both with FreeSWITCH's
 * quoting and backslash escapes (`\,` is a comma inside a value).
 */
function parseVars(body: string, into: Map<string, string>): void {
  for (const part of separateString(body, ",")) {
    const pair = separateString(part, "=", 2);
    if (pair.length === 2) into.set(pair[0] as string, pair[1] as string);
  }
}

/** `switch_find_end_paren`: the index of the bracket closing the one at `s[0]`, or -1. */
function findClose(s: string): number {
  const open = s[0];
  const close = open === "{" ? "}" : open === "[" ? "]" : ">";
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === open) depth++;
    else if (s[i] === close && --depth === 0) return i;
  }
  return -1;
}

/** Parses an originate / bridge dial string. */
export function parseDialString(input: string): DialString {
  const global = new Map<string, string>();
  let rest = input.trim();
  while (rest.startsWith("{") || rest.startsWith("<")) {
    const close = findClose(rest);
    if (close < 0) break;
    parseVars(rest.slice(1, close), global);
    rest = rest.slice(close + 1);
  }
  const groups = splitTop(rest, "|").map((g) =>
    splitTop(g, ",")
      .map((legText) => {
        const vars = new Map<string, string>();
        let t = legText.trim();
        while (t.startsWith("[")) {
          const close = findClose(t);
          if (close < 0) break;
          parseVars(t.slice(1, close), vars);
          t = t.slice(close + 1);
        }
        return { endpoint: t.trim(), vars };
      })
      .filter((l) => l.endpoint.length > 0),
  );
  return { global, groups: groups.filter((g) => g.length > 0) };
}

/** Splits API (and app) arguments on spaces, as `switch_separate_string(data, ' ', ...)` does. */
export function splitArgs(s: string): string[] {
  return separateString(s, " ");
}
