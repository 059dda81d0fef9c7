/**
 * FreeSWITCH's `switch_url_encode` (switch_utils.c, no double encoding), as
 * used for every header value of a plain event.
 *
 * Encoded: bytes below 0x20 or above 0x7E (UTF-8 is encoded per byte) and
 * `SWITCH_URL_UNSAFE` (`\r\n #%&+:;<=>?@[\]^`{|}"`). A `%` already followed
 * by two uppercase hex digits is kept, so an encoded value is not encoded twice.
 */

const HEX = "0123456789ABCDEF";
const UNSAFE = '\r\n #%&+:;<=>?@[\\]^`{|}"';

/** For each byte: the literal character, or its `%XX` form. */
const TABLE: string[] = Array.from({ length: 256 }, (_, b) => {
  const ch = String.fromCharCode(b);
  const encode = b < 0x20 || b > 0x7e || UNSAFE.includes(ch);
  return encode ? `%${HEX[b >> 4]}${HEX[b & 15]}` : ch;
});

/** True for the characters FreeSWITCH accepts after a `%` to leave it alone. */
function isUpperHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70);
}

/** True when a string needs no encoding at all (the common case, kept allocation-free). */
function isClean(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (TABLE[c] !== s[i] || c > 0x7e) return false;
  }
  return true;
}

/** Encodes `value` exactly as FreeSWITCH writes it in a `text/event-plain` header. */
export function fsUrlEncode(value: string): string {
  if (isClean(value)) return value;
  const bytes = Buffer.from(value, "utf8");
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (
      b === 0x25 &&
      i + 2 < bytes.length &&
      isUpperHex(bytes[i + 1] as number) &&
      isUpperHex(bytes[i + 2] as number)
    ) {
      out += "%";
      continue;
    }
    out += TABLE[b];
  }
  return out;
}
