import { type Clock, HangupCauses, systemClock } from "@ringflow/core";
import {
  type AgentFeatureCode,
  type AgentRegistry,
  isAgentPhone,
  statusAfterFeatureCode,
} from "@ringflow/core/agents";
import type { Db } from "@ringflow/db";
import type { EslCallSession } from "@ringflow/esl";
import type { CallRecorder } from "../calls/call-recorder.js";
import type { Logger } from "../logger.js";
import type { AgentSync } from "./agent-sync.js";

/** The confirmation an agent hears, by the status they end with. */
export const FEATURE_CODE_PROMPTS = {
  available: "You are logged in and available.",
  onBreak: "You are on a break.",
  loggedOut: "You are logged out.",
  breakWhileLoggedOut: "You are logged out. Log in with star 50 first.",
  unknownCaller: "This phone does not belong to an agent. Goodbye.",
} as const;

/** What {@link AgentFeatureCodes} reads and writes of the database. */
export type AgentFeatureCodesDb = Pick<Db<unknown>, "agents">;

/** Options of {@link AgentFeatureCodes}. */
export interface AgentFeatureCodesOptions {
  readonly db: AgentFeatureCodesDb;
  readonly registry: AgentRegistry;
  readonly agentSync: AgentSync;
  /** Stamps the call's answer, end and trace note (default `systemClock`). */
  readonly clock?: Clock;
}

/**
 * Serves the feature codes agents dial from their phone (`*50` log in / out,
 * `*51` break; the rule is core's `statusAfterFeatureCode`): finds the agent
 * by the caller id, stores the new configured status in the database and
 * applies it to the live registry at once (the same two steps as the
 * wall-board's `setAgentStatus`), then says so and hangs up. The call is
 * recorded, with a note of what changed.
 */
export class AgentFeatureCodes {
  private readonly clock: Clock;

  constructor(private readonly options: AgentFeatureCodesOptions) {
    this.clock = options.clock ?? systemClock;
  }

  async handle(
    code: AgentFeatureCode,
    call: EslCallSession,
    recorder: CallRecorder,
    log: Logger,
  ): Promise<void> {
    const { db, registry, agentSync } = this.options;
    const callerNumber = call.info.callerIdNumber;
    const agent = (await db.agents.list()).find((a) => isAgentPhone(a.contact, callerNumber));
    await call.answer();
    const at = this.clock.now();
    if (!agent) {
      log.warn({ code, caller: callerNumber }, "feature code dialled from a phone of no agent");
      await call.speak(FEATURE_CODE_PROMPTS.unknownCaller).catch(() => undefined);
      await recorder.finish(
        {
          callerName: call.info.callerIdName || null,
          outcome: "failed",
          answeredAt: new Date(at),
          endedAt: new Date(this.clock.now()),
          hangupCause: HangupCauses.NormalClearing,
        },
        [{ at, kind: "note", nodeId: null, detail: { event: "featureCodeUnknownCaller", code } }],
        { urgent: true },
      );
      await call.hangup(HangupCauses.NormalClearing);
      return;
    }
    // The live registry is the one source of what the agent is now.
    const current = (await registry.get(agent.id))?.status ?? agent.status;
    const next = statusAfterFeatureCode(code, current);
    if (next.changed) {
      if (agent.status !== next.status) await db.agents.setStatus(agent.id, next.status);
      await agentSync.applyStatus(agent.id, next.status);
    }
    log.info(
      { code, agentId: agent.id, previous: current, status: next.status },
      "agent feature code",
    );
    const prompt = next.changed
      ? FEATURE_CODE_PROMPTS[next.status]
      : FEATURE_CODE_PROMPTS.breakWhileLoggedOut;
    await call.speak(prompt).catch(() => undefined);
    await recorder.finish(
      {
        callerName: call.info.callerIdName || null,
        outcome: "answered",
        answeredAt: new Date(at),
        endedAt: new Date(this.clock.now()),
        hangupCause: HangupCauses.NormalClearing,
      },
      [
        {
          at,
          kind: "note",
          nodeId: null,
          detail: {
            event: "featureCode",
            code,
            agentId: agent.id,
            previous: current,
            status: next.status,
          },
        },
      ],
      { urgent: true },
    );
    await call.hangup(HangupCauses.NormalClearing);
  }
}
