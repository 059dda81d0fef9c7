/**
 * A model of how FreeSWITCH takes apart an `originate` argument line and a
 * `{name=value,...}` block, written from reading src/switch_utils.c
 * (switch_separate_string, separate_string_blank_delim,
 * separate_string_char_delim, cleanup_separated_string,
 * switch_find_end_paren), src/switch_event.c (switch_event_create_brackets)
 * and the backslash handling of switch_channel_expand_variables_check
 * (src/switch_channel.c). A test oracle for dial-string.ts: no real switch
 * runs here.
 */

function unescapeChar(ch: string): string {
  switch (ch) {
    case "n":
      return "\n";
    case "r":
      return "\r";
    case "t":
      return "\t";
    case "s":
      return " ";
    default:
      return ch;
  }
}

/** cleanup_separated_string: strip quotes, unescape, trim spaces. */
function cleanup(str: string, delim: string | undefined): string {
  let i = 0;
  while (str[i] === " ") i++;
  let dest = "";
  let end: number | undefined;
  let inside = false;
  for (; i < str.length; i++) {
    const ch = str[i] ?? "";
    let escaped = false;
    if (ch === "\\") {
      const next = str[i + 1];
      if (
        next !== undefined &&
        (next === "'" ||
          next === '"' ||
          (delim !== undefined && next === delim) ||
          next === "\\" ||
          unescapeChar(next) !== next)
      ) {
        i++;
        dest +=
          next === "'" || next === '"' || next === delim || next === "\\"
            ? next
            : unescapeChar(next);
        end = dest.length;
        escaped = true;
      }
    }
    if (!escaped) {
      if (ch === "'" && (inside || str.indexOf("'", i + 1) >= 0)) {
        inside = !inside;
        if (inside) end = dest.length;
      } else {
        dest += ch;
        if (ch !== " " || inside) end = dest.length;
      }
    }
  }
  return end === undefined ? dest : dest.slice(0, end);
}

/** separate_string_char_delim. */
export function separateChar(buf: string, delim: string, max: number): string[] {
  const parts: Array<{ start: number; end: number }> = [];
  let finding = false;
  let inside = false;
  let ptr = 0;
  // Like the C loop, stops as soon as `max` parts exist: the last one runs to the end.
  while (ptr < buf.length && parts.length < max) {
    if (!finding) {
      parts.push({ start: ptr, end: buf.length });
      finding = true;
      continue;
    }
    const ch = buf[ptr];
    if (ch === "\\") ptr++;
    else if (ch === "'" && (inside || buf.indexOf("'", ptr + 1) >= 0)) inside = !inside;
    else if (ch === delim && !inside) {
      const last = parts[parts.length - 1];
      if (last) last.end = ptr;
      finding = false;
    }
    ptr++;
  }
  return parts.map((p) => cleanup(buf.slice(p.start, p.end), delim));
}

/** separate_string_blank_delim. */
export function separateBlank(buf: string, max: number): string[] {
  type State = "start" | "skipInitial" | "find" | "skipEnding";
  const parts: Array<{ start: number; end: number }> = [];
  let state: State = "start";
  let inside = false;
  let ptr = 0;
  while (ptr < buf.length && parts.length < max) {
    const ch = buf[ptr];
    if (state === "start") {
      parts.push({ start: ptr, end: buf.length });
      state = "skipInitial";
    } else if (state === "skipInitial") {
      if (ch === " ") ptr++;
      else state = "find";
    } else if (state === "find") {
      if (ch === "\\") ptr++;
      else if (ch === "'") inside = !inside;
      else if (ch === " " && !inside) {
        const last = parts[parts.length - 1];
        if (last) last.end = ptr;
        state = "skipEnding";
      }
      ptr++;
    } else if (ch === " ") ptr++;
    else state = "start";
  }
  return parts.map((p) => cleanup(buf.slice(p.start, p.end), undefined));
}

/** switch_find_end_paren: index of the brace closing the one at `start`. */
function findEndParen(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    if (s[i] === "{") depth++;
    else if (s[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

/** `{a=b,...}rest` → the variables and the rest (switch_event_create_brackets). */
export function parseBrackets(dialString: string): {
  variables: Record<string, string>;
  rest: string;
} {
  if (!dialString.startsWith("{")) return { variables: {}, rest: dialString };
  const end = findEndParen(dialString, 0);
  if (end < 0) throw new Error(`unterminated {: ${dialString}`);
  const variables: Record<string, string> = {};
  for (const pair of separateChar(dialString.slice(1, end), ",", 1024)) {
    const [name, value] = separateChar(pair, "=", 2);
    if (name !== undefined && value !== undefined) variables[name] = value;
  }
  return { variables, rest: dialString.slice(end + 1) };
}

/** What `originate <args>` sees: the API argument split on spaces (at most 10). */
export function parseOriginate(args: string): {
  variables: Record<string, string>;
  destination: string;
  argv: string[];
} {
  const argv = separateBlank(args, 10);
  const { variables, rest } = parseBrackets(argv[0] ?? "");
  return { variables, destination: rest, argv };
}

/** The backslash part of switch_channel_expand_variables_check, for data without `$`. */
export function expandBackslashes(data: string): string {
  if (!/\\[\\nst']/.test(data)) return data;
  let out = "";
  for (let i = 0; i < data.length; i++) {
    const ch = data[i];
    if (ch === "\\" && data[i + 1] === "\\") {
      out += "\\";
      i++;
    } else if (ch === "\\" && data[i + 1] === "'") {
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}
