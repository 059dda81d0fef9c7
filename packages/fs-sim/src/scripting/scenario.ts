import { readFile } from "node:fs/promises";
import { z } from "zod";

const behaviour = z
  .object({
    ringAfterMs: z.number().nonnegative().nullable().optional(),
    answerAfterMs: z.number().nonnegative().optional(),
    earlyMediaAfterMs: z.number().nonnegative().optional(),
    busyAfterMs: z.number().nonnegative().optional(),
    rejectAfterMs: z.number().nonnegative().optional(),
    hangupAfterMs: z.number().nonnegative().optional(),
  })
  .strict();

const user = z
  .object({
    registered: z.boolean().optional(),
    contactPort: z.number().int().positive().optional(),
    behaviour: z.union([behaviour, z.array(behaviour).min(1)]).optional(),
    variables: z.record(z.string(), z.string()).optional(),
  })
  .strict();

const action = z.object({ app: z.string().min(1), arg: z.string().optional() }).strict();

const caller = z
  .object({
    /** When the call starts, ms after the simulator starts (default 0). */
    at: z.number().nonnegative().default(0),
    /** Repeat the call this many times (default 1), `every` ms apart. */
    repeat: z.number().int().positive().default(1),
    every: z.number().nonnegative().default(0),
    from: z.string().min(1),
    fromName: z.string().optional(),
    to: z.string().min(1),
    hangupAfterMs: z.number().nonnegative().optional(),
    hangupAfterHeardMs: z.number().nonnegative().optional(),
    dtmf: z
      .array(z.object({ at: z.number().nonnegative(), digits: z.string().min(1) }).strict())
      .optional(),
  })
  .strict();

/** A simulator scenario file: users, dialplan extensions, callers. */
export const scenarioSchema = z
  .object({
    users: z.record(z.string(), user).default({}),
    /** Extra extensions, matched before the default 7000 → socket 127.0.0.1:8084 async full. */
    dialplan: z
      .array(
        z
          .object({
            match: z.string().min(1),
            context: z.string().optional(),
            actions: z.array(action).min(1),
          })
          .strict(),
      )
      .default([]),
    callers: z.array(caller).default([]),
  })
  .strict();

/** A parsed scenario. */
export type Scenario = z.infer<typeof scenarioSchema>;
/** One scripted caller of a scenario. */
export type ScenarioCaller = Scenario["callers"][number];

/** Reads and validates a scenario file; throws with zod's message on a bad file. */
export async function loadScenario(path: string): Promise<Scenario> {
  const text = await readFile(path, "utf8");
  return scenarioSchema.parse(JSON.parse(text));
}
