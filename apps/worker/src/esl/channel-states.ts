import type { EslConnection } from "@ringflow/esl";

/**
 * Every channel's state (`CS_PARK`, `CS_EXECUTE`, ...) by uuid, from
 * `show channels` (CSV: a header naming the columns, one row per channel,
 * then "N total."). Only the uuid and state columns are read; both come
 * before any column a caller could put a comma in.
 */
export async function channelStates(connection: EslConnection): Promise<Map<string, string>> {
  const text = await connection.api("show channels");
  const [header = "", ...rows] = text.split("\n");
  const columns = header.split(",");
  const uuidAt = columns.indexOf("uuid");
  const stateAt = columns.indexOf("state");
  const states = new Map<string, string>();
  if (uuidAt < 0 || stateAt < 0) return states;
  for (const row of rows) {
    const fields = row.split(",");
    const uuid = fields[uuidAt];
    const state = fields[stateAt];
    if (uuid && state?.startsWith("CS_")) states.set(uuid, state);
  }
  return states;
}
