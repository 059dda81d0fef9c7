import type { FsSim } from "../fs-sim.js";
import type { Scenario } from "./scenario.js";

/**
 * Applies a scenario to a running simulator: users and their phones,
 * extra dialplan extensions, and callers scheduled on the simulator's clock.
 * Returns a function that cancels the callers not yet placed.
 */
export function applyScenario(sim: FsSim, scenario: Scenario): () => void {
  for (const [id, u] of Object.entries(scenario.users)) sim.users.set(id, u);
  for (const ext of scenario.dialplan) sim.dialplan.add(ext.match, ext.actions, ext.context);
  const timers: Array<{ cancel(): void }> = [];
  for (const c of scenario.callers) {
    for (let i = 0; i < c.repeat; i++) {
      timers.push(
        sim.clock.setTimeout(
          () => {
            sim.placeCall({
              from: c.from,
              fromName: c.fromName,
              to: c.to,
              hangupAfterMs: c.hangupAfterMs,
              hangupAfterHeardMs: c.hangupAfterHeardMs,
              dtmf: c.dtmf,
            });
          },
          c.at + i * c.every,
        ),
      );
    }
  }
  return () => {
    for (const t of timers) t.cancel();
  };
}
