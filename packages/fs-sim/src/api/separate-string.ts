/**
 * FreeSWITCH's `switch_separate_string` (src/switch_utils.c), which splits
 * API arguments (on spaces), `{...}` / `[...]` variable lists (on `,`) and
 * each `name=value` (on `=`, at most two parts).
 *
 * While looking for the delimiter a backslash protects the next character
 * and single quotes group; each part is then cleaned up: leading spaces
 * dropped, trailing unquoted spaces trimmed, quote pairs removed, and
 * `\\`, `\'`, `\"`, `\<delim>`, `\n`, `\r`, `\t`, `\s` (space) unescaped. Any
 * other backslash stays as it is (`\d` in a regex survives). Double quotes
 * do not group. At most `max` parts: the last runs to the end of the input.
 */
export function separateString(
  input: string,
  delim: string,
  max = Number.POSITIVE_INFINITY,
): string[] {
  const bounds = delim === " " ? blankBounds(input, max) : charBounds(input, delim, max);
  return bounds.map(([start, end]) => cleanUp(input.slice(start, end), delim === " " ? "" : delim));
}

/**
 * Part boundaries for a space delimiter: a part starts at the first character
 * after a run of spaces, and ends at an unquoted, unescaped space. Quote
 * state carries over from part to part, as in FreeSWITCH.
 */
function blankBounds(s: string, max: number): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let inQuotes = false;
  let i = 0;
  while (i < s.length && parts.length < max) {
    parts.push([i, s.length]);
    if (parts.length === max) break; // the last part runs to the end
    while (s[i] === " ") i++;
    for (; i < s.length; i++) {
      const c = s[i];
      if (c === "\\") i++;
      else if (c === "'") inQuotes = !inQuotes;
      else if (c === " " && !inQuotes) {
        (parts[parts.length - 1] as [number, number])[1] = i;
        break;
      }
    }
    while (s[i] === " ") i++;
  }
  return parts;
}

/**
 * Part boundaries for any other delimiter: every unquoted, unescaped
 * delimiter ends a part; a delimiter at the very end starts none. A quote
 * opens only if another one follows.
 */
function charBounds(s: string, delim: string, max: number): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let inQuotes = false;
  let i = 0;
  while (i < s.length && parts.length < max) {
    parts.push([i, s.length]);
    if (parts.length === max) break;
    for (; i < s.length; i++) {
      const c = s[i];
      if (c === "\\") i++;
      else if (c === "'" && (inQuotes || s.indexOf("'", i + 1) >= 0)) inQuotes = !inQuotes;
      else if (c === delim && !inQuotes) {
        (parts[parts.length - 1] as [number, number])[1] = i;
        i++;
        break;
      }
    }
  }
  return parts;
}

const UNESCAPED: Record<string, string> = { n: "\n", r: "\r", t: "\t", s: " " };

/** `cleanup_separated_string`: quotes, escapes, surrounding spaces. */
function cleanUp(part: string, delim: string): string {
  let out = "";
  let keep = 0; // length of `out` that trailing-space trimming must keep
  let inQuotes = false;
  let i = 0;
  while (part[i] === " ") i++;
  for (; i < part.length; i++) {
    const c = part[i] as string;
    const next = part[i + 1];
    if (c === "\\" && next !== undefined) {
      const special =
        next === "'" || next === '"' || next === "\\" || (delim !== "" && next === delim);
      const mapped = UNESCAPED[next];
      if (special || mapped !== undefined) {
        out += special ? next : mapped;
        keep = out.length;
        i++;
        continue;
      }
    }
    if (c === "'" && (inQuotes || part.indexOf("'", i + 1) >= 0)) {
      inQuotes = !inQuotes;
      if (inQuotes) keep = out.length;
      continue;
    }
    out += c;
    if (c !== " " || inQuotes) keep = out.length;
  }
  return out.slice(0, keep);
}
