import { type Clock, sleep } from "@ringflow/core";
import {
  InMemoryLoadBalancer,
  RingGroup,
  type RingGroupResult,
  RingMode,
  type RungAttempt,
} from "@ringflow/core/ring-group";
import { type AgentBehaviour, ManualClock } from "@ringflow/fs-sim";
import { afterEach, describe, expect, it } from "vitest";
import {
  channelHangup,
  driveUntil,
  driveUntilTrue,
  liveChannels,
  type SimRig,
  startRig,
} from "../../test/sim-rig.js";

// core's RingGroup driving fs-sim through FreeswitchCallControl over real
// TCP. The ring group runs on the simulator's clock, so its own timers and
// the switch's move together (manual, or scaled for the balancing run).

/** The scripted agents of issue 4. */
const ANSWERS_AFTER_2S: AgentBehaviour = { answerAfterMs: 2000 };
const BUSY: AgentBehaviour = { busyAfterMs: 500 };
const NEVER_ANSWERS: AgentBehaviour = { ringAfterMs: 0 };
const ANSWERS_THEN_HANGS_UP: AgentBehaviour = { answerAfterMs: 2000, hangupAfterMs: 5000 };

let rig: SimRig;

afterEach(async () => {
  expect(rig.errors).toEqual([]);
  await rig.close();
});

async function manualRig(agents: Record<string, AgentBehaviour>): Promise<ManualClock> {
  const clock = new ManualClock();
  rig = await startRig({ clock });
  for (const [id, behaviour] of Object.entries(agents)) rig.sim.users.set(id, { behaviour });
  return clock;
}

function rung(result: RingGroupResult): RungAttempt[] {
  return result.attempts.filter((a): a is RungAttempt => a.outcome !== "skipped");
}

/** destination → [outcome, cause], for comparing attempts regardless of the order they ended in. */
function outcomes(result: RingGroupResult): Record<string, [string, string | null]> {
  return Object.fromEntries(rung(result).map((a) => [a.destination, [a.outcome, a.cause]]));
}

describe("parallel", () => {
  it("rings five agents together and leaves exactly one leg up, the four others cancelled with LOSE_RACE", async () => {
    const clock = await manualRig({
      "1001": ANSWERS_AFTER_2S,
      "1002": NEVER_ANSWERS,
      "1003": { answerAfterMs: 3000, hangupAfterMs: 5000 },
      "1004": { answerAfterMs: 4000 },
      "1005": NEVER_ANSWERS,
    });
    const agents = ["1001", "1002", "1003", "1004", "1005"];
    const balancer = new InMemoryLoadBalancer({ clock });
    const losers = agents.slice(1).map((id) => channelHangup(rig.sim, (c) => c.dialedUser === id));
    const started = clock.now();
    const run = RingGroup.run(
      rig.control,
      agents.map((id) => `user/${id}`),
      RingMode.Parallel,
      { timeoutMs: 20_000, clock, balancer },
    );

    await clock.advance(1000);
    const ringing = liveChannels(rig.sim);
    expect(ringing.map((c) => c.dialedUser).sort()).toEqual(agents);
    expect(ringing.every((c) => c.answerState === "ringing")).toBe(true);

    const result = await driveUntil(clock, run);
    expect(result.result).toBe("answered");
    if (result.result !== "answered") return;
    expect(result.leg.destination).toBe("user/1001");
    expect(result.leg.answeredAt - started).toBeGreaterThanOrEqual(2000);
    expect(result.leg.answeredAt - started).toBeLessThan(2100);

    // On the switch: the winner is up, the four others were hung up with LOSE_RACE.
    expect(liveChannels(rig.sim)).toMatchObject([
      { uuid: result.leg.uuid, dialedUser: "1001", answerState: "answered" },
    ]);
    const ended = await Promise.all(losers);
    expect(ended.map((c) => [c.dialedUser, c.hangupCause])).toEqual([
      ["1002", "LOSE_RACE"],
      ["1003", "LOSE_RACE"],
      ["1004", "LOSE_RACE"],
      ["1005", "LOSE_RACE"],
    ]);
    expect(outcomes(result)).toEqual({
      "user/1001": ["answered", null],
      "user/1002": ["lostRace", "LOSE_RACE"],
      "user/1003": ["lostRace", "LOSE_RACE"],
      "user/1004": ["lostRace", "LOSE_RACE"],
      "user/1005": ["lostRace", "LOSE_RACE"],
    });

    // 1003 and 1004 would have answered later: nothing of them comes back.
    await clock.advance(5000);
    expect(liveChannels(rig.sim).map((c) => c.uuid)).toEqual([result.leg.uuid]);
    // The load of a leg counts until it hangs up: only the winner is still counted.
    const destinations = agents.map((id) => `user/${id}`);
    expect([...(await balancer.load(destinations)).values()]).toEqual([1, 0, 0, 0, 0]);

    await result.leg.hangup();
    expect(await driveUntil(clock, result.leg.ended)).toBe("NORMAL_CLEARING");
    await driveUntilTrue(clock, () => rig.sim.channels().length === 0);
    expect([...(await balancer.load(destinations)).values()]).toEqual([0, 0, 0, 0, 0]);
  });

  it("a busy agent ends with USER_BUSY on its own; the rest lose the race", async () => {
    const clock = await manualRig({
      "1001": ANSWERS_AFTER_2S,
      "1002": BUSY,
      "1003": NEVER_ANSWERS,
      "1004": ANSWERS_THEN_HANGS_UP,
    });
    const busy = channelHangup(rig.sim, (c) => c.dialedUser === "1002");
    const result = await driveUntil(
      clock,
      RingGroup.run(
        rig.control,
        ["user/1001", "user/1002", "user/1003", "user/1004"],
        RingMode.Parallel,
        { timeoutMs: 20_000, clock },
      ),
    );
    expect(result.result).toBe("answered");
    expect((await busy).hangupCause).toBe("USER_BUSY");
    const attempts = outcomes(result);
    // 1001 and 1004 answer in the same simulated instant: either may win.
    const winner = result.result === "answered" ? result.leg.destination : "";
    expect(["user/1001", "user/1004"]).toContain(winner);
    expect(attempts).toEqual({
      "user/1001": winner === "user/1001" ? ["answered", null] : ["lostRace", "LOSE_RACE"],
      "user/1002": ["busy", "USER_BUSY"],
      "user/1003": ["lostRace", "LOSE_RACE"],
      "user/1004": winner === "user/1004" ? ["answered", null] : ["lostRace", "LOSE_RACE"],
    });
    expect(liveChannels(rig.sim)).toHaveLength(1);
    if (result.result === "answered") await result.leg.hangup();
    await driveUntilTrue(clock, () => rig.sim.channels().length === 0);
  });
});

describe("sequential", () => {
  it("rings in the given order, each for the per-leg timeout, and stops at the first answer", async () => {
    const clock = await manualRig({
      "1002": BUSY,
      "1003": NEVER_ANSWERS,
      "1001": ANSWERS_AFTER_2S,
      "1004": ANSWERS_AFTER_2S,
    });
    // Rings on the switch, in the order the switch created them (sim time).
    const created: Array<[string | undefined, number]> = [];
    rig.connection.onEvent((event) => {
      if (event.name === "CHANNEL_CREATE")
        created.push([event.variable("dialed_user"), clock.now()]);
    });
    const silentEnd = channelHangup(rig.sim, (c) => c.dialedUser === "1003");
    const started = clock.now();
    // 3.5 s is not whole seconds: the switch's originate_timeout rounds up to
    // 4 s, so the leg ending at 3.5 s shows the ring group's own timer at work.
    const result = await driveUntil(
      clock,
      RingGroup.run(
        rig.control,
        ["user/1002", "user/1003", "user/1001", "user/1004"],
        RingMode.Sequential,
        { timeoutMs: 3500, clock },
      ),
    );

    expect(result.result).toBe("answered");
    expect(rung(result).map((a) => [a.destination, a.outcome, a.cause])).toEqual([
      ["user/1002", "busy", "USER_BUSY"],
      ["user/1003", "noAnswer", "NO_ANSWER"],
      ["user/1001", "answered", null],
    ]);
    expect(created.map(([user]) => user)).toEqual(["1002", "1003", "1001"]);

    const [busy, silent, answered] = rung(result) as [RungAttempt, RungAttempt, RungAttempt];
    const near = (actual: number, expected: number) => {
      expect(actual).toBeGreaterThanOrEqual(expected);
      expect(actual).toBeLessThan(expected + 100);
    };
    near(busy.rangForMs, 500);
    near(silent.rangForMs, 3500);
    near(answered.rangForMs, 2000);
    // Each leg was rung only once the one before had ended.
    expect(silent.startedAt).toBeGreaterThanOrEqual(busy.startedAt + busy.rangForMs);
    expect(answered.startedAt).toBeGreaterThanOrEqual(silent.startedAt + silent.rangForMs);
    near(answered.startedAt - started, 4000);

    // The switch saw the silent leg hung up by the ring group at 3.5 s, before its own 4 s.
    const silentHangup = await silentEnd;
    expect(silentHangup.hangupCause).toBe("NO_ANSWER");
    const silentCreated = created.find(([user]) => user === "1003")?.[1] ?? Number.NaN;
    near(silent.startedAt + silent.rangForMs - silentCreated, 3500);

    expect(liveChannels(rig.sim)).toMatchObject([{ dialedUser: "1001", answerState: "answered" }]);
    if (result.result === "answered") await result.leg.hangup();
    await driveUntilTrue(clock, () => rig.sim.channels().length === 0);
  });
});

describe("the caller hangs up while the group rings", () => {
  it("cancels every leg with ORIGINATOR_CANCEL", async () => {
    const clock = await manualRig({ "1002": NEVER_ANSWERS, "1003": NEVER_ANSWERS });
    const legs = ["1002", "1003"].map((id) => channelHangup(rig.sim, (c) => c.dialedUser === id));
    const app = await rig.serveCalls(async (call) => {
      await call.answer();
      return RingGroup.run(rig.control, ["user/1002", "user/1003"], RingMode.Parallel, {
        timeoutMs: 30_000,
        clock,
        signal: call.signal,
      });
    });
    const caller = rig.sim.placeCall({ from: "5551234", to: app.extension, hangupAfterMs: 3000 });
    const result = await driveUntil(clock, app.next());
    expect(result.result).toBe("cancelled");
    expect(outcomes(result)).toEqual({
      "user/1002": ["cancelled", "ORIGINATOR_CANCEL"],
      "user/1003": ["cancelled", "ORIGINATOR_CANCEL"],
    });
    expect((await Promise.all(legs)).map((c) => c.hangupCause)).toEqual([
      "ORIGINATOR_CANCEL",
      "ORIGINATOR_CANCEL",
    ]);
    expect((await driveUntil(clock, caller.result)).hangupCause).toBe("NORMAL_CLEARING");
    await driveUntilTrue(clock, () => rig.sim.channels().length === 0);
  });
});

describe("balancing", () => {
  it("spreads 100 calls across 5 equal agents within ±10%, counting each until its leg hangs up", async () => {
    // Twenty simulated seconds in two real ones.
    rig = await startRig({ timeScale: 10 });
    const clock: Clock = rig.sim.clock;
    const agents = ["1001", "1002", "1003", "1004", "1005"];
    const destinations = agents.map((id) => `user/${id}`);
    for (const id of agents) rig.sim.users.set(id, { behaviour: ANSWERS_THEN_HANGS_UP });
    const balancer = new InMemoryLoadBalancer({ clock });

    const calls: Array<Promise<RingGroupResult>> = [];
    const counted: Array<{ load: number; inCall: number }> = [];
    for (let i = 0; i < 100; i++) {
      if (i % 10 === 5) {
        // Every agent leg the switch has answered and not hung up must still be counted.
        const load = [...(await balancer.load(destinations)).values()].reduce((a, b) => a + b, 0);
        const inCall = liveChannels(rig.sim).filter((c) => c.answerState === "answered").length;
        counted.push({ load, inCall });
      }
      calls.push(
        RingGroup.run(rig.control, destinations, RingMode.Balancing, {
          timeoutMs: 60_000,
          clock,
          balancer,
        }),
      );
      await sleep(clock, 100);
    }
    const results = await Promise.all(calls);

    const perAgent = new Map(destinations.map((d) => [d, 0]));
    for (const result of results) {
      expect(result.result).toBe("answered");
      if (result.result !== "answered") continue;
      // One leg per call: the least busy agent answered it.
      expect(rung(result)).toHaveLength(1);
      perAgent.set(result.leg.destination, (perAgent.get(result.leg.destination) ?? 0) + 1);
    }
    for (const count of perAgent.values()) {
      expect(count).toBeGreaterThanOrEqual(18);
      expect(count).toBeLessThanOrEqual(22);
    }
    expect(counted.some((c) => c.inCall > 0)).toBe(true);
    for (const { load, inCall } of counted) expect(load).toBeGreaterThanOrEqual(inCall);

    // The agents hang up 5 s after answering; then nothing is counted any more.
    const ended = await Promise.all(
      results.map((r) => (r.result === "answered" ? r.leg.ended : Promise.resolve("none"))),
    );
    expect(ended.every((cause) => cause === "NORMAL_CLEARING")).toBe(true);
    expect([...(await balancer.load(destinations)).values()]).toEqual([0, 0, 0, 0, 0]);
    expect(rig.sim.channels()).toEqual([]);
  });
});
