import { type Clock, systemClock } from "@ringflow/core";
import { type CallsRepository, wholeCallRecord } from "@ringflow/db";
import type { Logger } from "../logger.js";
import type { RecordWriter } from "./record-writer.js";

/** What {@link recordEndedBeforeTaken} needs. */
export interface EndedBeforeTakenOptions {
  readonly workerId: string;
  readonly calls: Pick<CallsRepository, "get">;
  readonly recordWriter: RecordWriter;
  readonly log: Logger;
  /** Stamps the record (default `systemClock`). */
  readonly clock?: Clock;
}

/**
 * Leaves a trace of a call whose caller hung up while it waited to be taken
 * (its socket closed before the session was set up; under overload, callers
 * give up in that wait). Only the channel's uuid is known, from the switch's
 * disconnect notice, or also who called whom when the connect reply came
 * first: the record is `abandoned` (numbers empty when unknown) with a
 * trace note saying why. A record already stored for the call (another
 * worker ran it before its socket moved on) is left as it is: that
 * worker, or the survivor closing it as `workerLost`, ends it.
 */
export async function recordEndedBeforeTaken(
  uuid: string,
  /** Who called whom, when the switch said so (the connect reply came first). */
  channel: { readonly numberDialled: string; readonly callerNumber: string } | undefined,
  options: EndedBeforeTakenOptions,
): Promise<"recorded" | "alreadyRecorded"> {
  const { workerId, calls, recordWriter, log, clock = systemClock } = options;
  const endedAt = new Date(clock.now());
  if (await calls.get(uuid)) return "alreadyRecorded";
  await recordWriter.save(
    wholeCallRecord({
      callUuid: uuid,
      numberDialled: channel?.numberDialled ?? "",
      callerNumber: channel?.callerNumber ?? "",
      startedAt: endedAt,
      endedAt,
      outcome: "abandoned",
      workerId,
    }),
    [
      {
        at: endedAt,
        kind: "note",
        nodeId: null,
        data: { detail: { event: "endedBeforeTaken", workerId } },
      },
    ],
    { urgent: true },
  );
  log.info({ callUuid: uuid }, "the caller hung up before the call was taken; recorded abandoned");
  return "recorded";
}
