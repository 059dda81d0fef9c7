import { EslInvalidArgumentError } from "./errors.js";

const VARIABLE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;
// Control characters cannot be sent on a protocol line (or survive the
// switch's tokenizers intact), so they are refused rather than mangled.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Escapes `value` for one pass of FreeSWITCH's `switch_separate_string` on
 * `delimiter` followed by its `cleanup_separated_string`: that pass splits
 * on unescaped delimiters, pairs single quotes, then unescapes `\\`, `\'`,
 * `\"`, `\<delimiter>` and `\s` (space) and trims spaces. Spaces are sent as
 * `\s` so no pass can split or trim them.
 */
function escapeForSplit(value: string, delimiter: string): string {
  let escaped = "";
  for (const ch of value) {
    if (ch === "\\" || ch === "'" || ch === '"') escaped += `\\${ch}`;
    else if (ch === " ") escaped += "\\s";
    else if (ch === delimiter) escaped += `\\${ch}`;
    else escaped += ch;
  }
  return escaped;
}

function assertBalancedBraces(value: string, what: string): void {
  // switch_find_end_paren counts braces without regard to escapes: an
  // unbalanced one would end (or swallow) the {...} block.
  let depth = 0;
  for (const ch of value) {
    if (ch === "{") depth++;
    else if (ch === "}" && --depth < 0) break;
  }
  if (depth !== 0)
    throw new EslInvalidArgumentError(`${what} has unbalanced braces: ${JSON.stringify(value)}`);
}

/**
 * Formats `{name=value,...}` for the front of a dial string. A value goes
 * through three tokenizer passes inside the switch — the API argument split
 * on spaces, the `{...}` split on commas, then each `name=value` split on
 * `=` — so it is escaped for each, innermost first; commas, spaces, quotes,
 * backslashes and `=` all arrive intact.
 *
 * The result is meant for a position that the first pass splits on spaces
 * (an `originate` argument, or `bridge`'s data): pass the whole argument
 * through {@link escapeApiArgument}.
 */
export function formatChannelVariables(variables: Readonly<Record<string, string>>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(variables)) {
    if (!VARIABLE_NAME.test(name)) {
      throw new EslInvalidArgumentError(`invalid channel variable name ${JSON.stringify(name)}`);
    }
    if (CONTROL.test(value)) {
      throw new EslInvalidArgumentError(`channel variable ${name} contains a control character`);
    }
    assertBalancedBraces(value, `channel variable ${name}`);
    parts.push(`${name}=${escapeForSplit(escapeForSplit(value, "="), ",")}`);
  }
  return `{${parts.join(",")}}`;
}

/**
 * Escapes application data for the channel-variable expansion FreeSWITCH
 * applies to every executed app's argument, which turns `\\` into `\`
 * (and drops `\'`) whenever the data holds an escape.
 */
export function escapeForExpansion(data: string): string {
  return data.replaceAll("\\", "\\\\");
}

/** Escapes one API argument for the switch's split of the argument line on spaces. */
export function escapeApiArgument(argument: string): string {
  if (CONTROL.test(argument))
    throw new EslInvalidArgumentError("an API argument contains a control character");
  return escapeForSplit(argument, " ");
}

/**
 * Checks a single-destination dial string (`user/1001`,
 * `sofia/gateway/gw1/5551234`, optionally with `[leg=vars,...]`): it must be
 * one API argument, must not open its own `{...}` block and must name one
 * leg (no `,`, `|` or `:_:` between legs).
 */
export function assertDestination(destination: string): void {
  if (destination === "" || /[\s'"\\]/.test(destination) || CONTROL.test(destination)) {
    throw new EslInvalidArgumentError(`invalid destination ${JSON.stringify(destination)}`);
  }
  if (destination.startsWith("{") || destination.startsWith("&")) {
    throw new EslInvalidArgumentError(
      `destination must be a plain dial string: ${JSON.stringify(destination)}`,
    );
  }
  // The leg is followed by its origination_uuid, which the switch gives to
  // one channel only: legs added with `,`, `|` or `:_:` would ring, and
  // could answer, without anyone seeing them. Commas inside `[...]` separate
  // that leg's own variables and are fine.
  let depth = 0;
  let outside = "";
  for (const ch of destination) {
    if (ch === "[") depth++;
    else if (ch === "]") depth = Math.max(0, depth - 1);
    else if (depth === 0) outside += ch;
  }
  if (/[,|]|:_:/.test(outside)) {
    throw new EslInvalidArgumentError(
      `destination must be a single leg (ring several with a ring group): ${JSON.stringify(destination)}`,
    );
  }
}
