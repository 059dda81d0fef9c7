import type { Clock, TimerHandle } from "@ringflow/core";
import { EslTimeoutError } from "./errors.js";
import type { EslReply } from "./message-reader.js";

interface PendingCommand {
  readonly wire: string;
  readonly description: string;
  readonly resolve: (reply: EslReply) => void;
  readonly reject: (error: Error) => void;
  timer: TimerHandle | undefined;
  settled: boolean;
}

/**
 * Writes commands in order, at most `maxInFlight` of them awaiting their
 * replies at once (one by default), and hands each reply to the command it
 * answers.
 *
 * FreeSWITCH reads a connection's commands one after the other and answers
 * every one exactly once, in order, with either a command/reply or an
 * api/response (an `api` it refuses at the ESL level gets a command/reply),
 * and the replies carry no id. So the only safe matching is positional over
 * *every* reply, whatever its content type, with nothing written that does
 * not reserve its reply slot. That same order is what makes writing the
 * next command before the previous reply safe: with `maxInFlight` above one,
 * a round trip no longer holds up the commands behind it, and commands that
 * waited for a free slot go out together in one write.
 *
 * A command that times out is rejected at once but keeps its slot: its late
 * reply is consumed and dropped instead of being handed to the next command.
 */
export class CommandQueue {
  private readonly waiting: PendingCommand[] = [];
  /** Written, oldest first: the next reply belongs to the first. */
  private readonly inFlight: PendingCommand[] = [];
  private closedWith: Error | undefined;

  constructor(
    private readonly write: (wire: string) => void,
    private readonly clock: Clock,
    private readonly maxInFlight = 1,
  ) {
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
      throw new RangeError(`maxInFlight must be a whole number of at least 1, not ${maxInFlight}`);
    }
  }

  /** Queues `wire` (a formatted command) and resolves with its reply. */
  send(wire: string, description: string, timeoutMs: number): Promise<EslReply> {
    return new Promise<EslReply>((resolve, reject) => {
      if (this.closedWith) {
        reject(this.closedWith);
        return;
      }
      const command: PendingCommand = {
        wire,
        description,
        resolve,
        reject,
        timer: undefined,
        settled: false,
      };
      command.timer = this.clock.setTimeout(() => this.expire(command, timeoutMs), timeoutMs);
      this.waiting.push(command);
      this.pump();
    });
  }

  /** Hands `reply` to the oldest command in flight; false when no command was waiting for one. */
  deliver(reply: EslReply): boolean {
    const command = this.inFlight.shift();
    if (!command) return false;
    command.timer?.cancel();
    if (!command.settled) {
      command.settled = true;
      command.resolve(reply);
    }
    this.pump();
    return true;
  }

  /** Rejects everything pending with `error`, and every later command too. */
  close(error: Error): void {
    if (this.closedWith) return;
    this.closedWith = error;
    const pending = [...this.inFlight, ...this.waiting];
    this.inFlight.length = 0;
    this.waiting.length = 0;
    for (const command of pending) {
      command.timer?.cancel();
      if (!command.settled) {
        command.settled = true;
        command.reject(error);
      }
    }
  }

  /** Commands written or waiting to be written, timed-out ones included. */
  get size(): number {
    return this.waiting.length + this.inFlight.length;
  }

  private expire(command: PendingCommand, timeoutMs: number): void {
    if (command.settled) return;
    command.settled = true;
    const index = this.waiting.indexOf(command);
    // Never written: drop it. Written: it stays in flight until its reply comes.
    if (index >= 0) this.waiting.splice(index, 1);
    command.reject(new EslTimeoutError(command.description, timeoutMs));
  }

  private pump(): void {
    if (this.closedWith) return;
    let wire = "";
    while (this.inFlight.length < this.maxInFlight) {
      const next = this.waiting.shift();
      if (!next) break;
      this.inFlight.push(next);
      wire += next.wire;
    }
    if (wire !== "") this.write(wire);
  }
}
