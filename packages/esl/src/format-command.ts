import { EslInvalidArgumentError } from "./errors.js";

// FreeSWITCH reads a command up to the first empty line and splits headers on
// line breaks, so a CR or LF inside any part would smuggle in extra headers
// or a whole second command.
const LINE_BREAK = /[\r\n]/;
const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Throws unless `value` fits on one protocol line. */
export function assertSingleLine(value: string, what: string): void {
  if (LINE_BREAK.test(value)) {
    throw new EslInvalidArgumentError(
      `${what} must not contain a line break: ${JSON.stringify(value)}`,
    );
  }
}

/**
 * Serializes one client→FreeSWITCH command: the command line, `Name: value`
 * headers, an empty line, then the body (if any) counted by Content-Length.
 */
export function formatCommand(
  command: string,
  headers: Readonly<Record<string, string>> = {},
  body?: string,
): string {
  assertSingleLine(command, "an ESL command");
  if (command.trim() === "") throw new EslInvalidArgumentError("an ESL command must not be empty");
  let wire = `${command}\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) {
      throw new EslInvalidArgumentError(`invalid ESL header name ${JSON.stringify(name)}`);
    }
    assertSingleLine(value, `header ${name}`);
    wire += `${name}: ${value}\n`;
  }
  if (body !== undefined && body !== "") {
    wire += `Content-Length: ${Buffer.byteLength(body, "utf8")}\n\n${body}`;
    return wire;
  }
  return `${wire}\n`;
}
