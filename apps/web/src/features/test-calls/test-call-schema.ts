import { z } from "zod";

/** A number a caller can dial or call from: digits, `*` or `#`, optionally starting with `+`. */
export const phoneNumberSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9*#]{1,32}$/, "Digits only, optionally starting with +");

/** What to place: run the draft (whatever number is dialled), or dial a number routed to the live version. */
export const placeTestCallSchema = z.object({
  flowId: z.string().min(1),
  run: z.enum(["draft", "live"]),
  /** The number dialled. */
  number: phoneNumberSchema,
  /** The caller's number (try a VIP one). */
  from: phoneNumberSchema,
});
export type PlaceTestCall = z.infer<typeof placeTestCallSchema>;

/** Keys a caller can press. */
export const keypadDigitsSchema = z.string().regex(/^[0-9*#]{1,32}$/, "Keys 0-9, * and #");

/** What a simulated agent's phone does when rung. */
export const phoneAnswerSchema = z.enum(["answers", "noAnswer", "busy"]);

/** The labels of {@link phoneAnswerSchema}'s values. */
export const PHONE_ANSWER_LABELS = {
  answers: "Answers",
  noAnswer: "No answer",
  busy: "Busy",
} as const satisfies Record<z.infer<typeof phoneAnswerSchema>, string>;
