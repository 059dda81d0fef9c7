import { z } from "zod";
import {
  keypadDigitsSchema,
  phoneAnswerSchema,
  placeTestCallSchema,
} from "@/features/test-calls/test-call-schema";
import {
  hangUpTestCall,
  placeTestCall,
  pressKeys,
  setTestPhone,
  testCallLine,
  testCallSetup,
} from "../test-calls";
import { adminProcedure, createTRPCRouter } from "../trpc/init";

const callSchema = z.object({ callUuid: z.string().min(1) });
const okSchema = z.object({ ok: z.literal(true) });

/** The editor's test calls, placed through the simulator (admins: they run drafts). */
export const testCallsRouter = createTRPCRouter({
  /** Whether test calls can be placed, the numbers routed to the flow, and the simulated phones. */
  setup: adminProcedure
    .input(z.object({ flowId: z.string().min(1) }))
    .output(
      z.object({
        available: z.boolean(),
        reason: z.string().nullable(),
        numbers: z.array(z.string()),
        phones: z.array(
          z.object({
            id: z.string(),
            agentName: z.string().nullable(),
            answer: phoneAnswerSchema.nullable(),
          }),
        ),
      }),
    )
    .query(({ ctx, input }) =>
      testCallSetup(ctx.services.db, ctx.services.simulator, input.flowId),
    ),

  /** Places a call (the draft, or a number routed to the live version). */
  place: adminProcedure
    .input(placeTestCallSchema)
    .output(callSchema)
    .mutation(({ ctx, input }) => placeTestCall(ctx.services.db, ctx.services.simulator, input)),

  /** Where the call is on the switch now. */
  line: adminProcedure
    .input(callSchema)
    .output(
      z.object({
        state: z.enum(["ringing", "early", "answered", "ended"]),
        bridgedTo: z.string().nullable(),
      }),
    )
    .query(({ ctx, input }) => testCallLine(ctx.services.simulator, input.callUuid)),

  /** The caller presses keys. */
  press: adminProcedure
    .input(callSchema.extend({ digits: keypadDigitsSchema }))
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      await pressKeys(ctx.services.simulator, input.callUuid, input.digits);
      return { ok: true as const };
    }),

  /** The caller hangs up. */
  hangUp: adminProcedure
    .input(callSchema)
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      await hangUpTestCall(ctx.services.simulator, input.callUuid);
      return { ok: true as const };
    }),

  /** Scripts a simulated agent's phone. */
  setPhone: adminProcedure
    .input(
      z.object({ phoneId: z.string().regex(/^[0-9A-Za-z_.-]{1,64}$/), answer: phoneAnswerSchema }),
    )
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      await setTestPhone(ctx.services.simulator, input.phoneId, input.answer);
      return { ok: true as const };
    }),
});
