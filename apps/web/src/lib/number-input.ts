/**
 * Binding helpers for number fields that may be empty: an empty box is
 * `null` ("no limit"), anything else the number typed (NaN for text, which
 * the schema then refuses with its message).
 */
export function toNullableNumber(text: string): number | null {
  return text.trim() === "" ? null : Number(text);
}

/** The text a nullable number shows in its box. */
export function fromNullableNumber(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? "" : String(value);
}

/** Seconds as people read them: `45 s`, `5 min`, `1 h 30 min`. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  if (seconds < 60) return `${seconds} s`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return [hours ? `${hours} h` : "", minutes ? `${minutes} min` : "", rest ? `${rest} s` : ""]
    .filter(Boolean)
    .join(" ");
}
