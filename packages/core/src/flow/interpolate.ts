/**
 * Placeholders the interpreter always supplies. Any other `{name}` is read
 * from the caller's channel variable of that name.
 *
 * - `position`: the caller's place in the line of the queue they are waiting in (1 = next).
 * - `ewt`: their estimated wait, in words ({@link formatEstimatedWait}).
 * - `caller_id_number`, `caller_id_name`: who is calling.
 * - `destination_number`: the number they dialled.
 */
export const builtInPlaceholders = [
  "position",
  "ewt",
  "caller_id_number",
  "caller_id_name",
  "destination_number",
] as const;

/** One of {@link builtInPlaceholders}. */
export type BuiltInPlaceholder = (typeof builtInPlaceholders)[number];

/** Values for placeholders; `undefined` counts as missing. */
export type PlaceholderValues = Readonly<Record<string, string | number | undefined>>;

/** What {@link interpolate} produced. */
export interface InterpolationResult {
  readonly text: string;
  /** Placeholder names that had no value (each once, in order of appearance); they became "". */
  readonly missing: readonly string[];
}

// `{{` and `}}` are literal braces; `{name}` is a placeholder; any other brace is plain text.
const TOKEN = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Fills `{name}` placeholders in a prompt's text or file path.
 *
 * Unknown or unset placeholders become the empty string and are listed in
 * `missing`, so a call never hears a raw "{name}" and the interpreter can log
 * what was absent. `{{` and `}}` write literal braces; a brace that does not
 * form a placeholder (`{1}`, `{ x }`, a lone `{`) is kept as written.
 */
export function interpolate(template: string, values: PlaceholderValues): InterpolationResult {
  const missing: string[] = [];
  const text = template.replace(TOKEN, (token, name: string | undefined) => {
    if (name === undefined) return token === "{{" ? "{" : "}";
    // Own properties only: a template must not reach `{constructor}` through the prototype.
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) {
      if (!missing.includes(name)) missing.push(name);
      return "";
    }
    return String(value);
  });
  return { text, missing };
}

/** The placeholder names used in `template`, each once, in order of appearance. */
export function placeholdersIn(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(TOKEN)) {
    const name = match[1];
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * An estimated wait in words for `{ewt}`, always rounded up: promising less
 * than the real wait costs more goodwill than a pleasant surprise.
 *
 * Under a minute: "less than a minute"; up to 10 minutes: "about N minutes"
 * (whole minutes, rounded up); then rounded up to 5 minutes up to "about an
 * hour"; beyond that "more than an hour".
 */
export function formatEstimatedWait(seconds: number): string {
  if (Number.isNaN(seconds)) throw new RangeError("estimated wait is NaN");
  if (seconds < 60) return "less than a minute";
  const minutes = Math.ceil(seconds / 60);
  if (minutes === 1) return "about 1 minute";
  if (minutes <= 10) return `about ${minutes} minutes`;
  const fives = Math.ceil(minutes / 5) * 5;
  if (fives < 60) return `about ${fives} minutes`;
  return minutes <= 60 ? "about an hour" : "more than an hour";
}
