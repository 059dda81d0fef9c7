import { z } from "zod";

/**
 * Something played to the caller: a sound file, or text spoken by the
 * switch's text-to-speech. Both may contain `{placeholders}` (see
 * {@link interpolate}).
 */
export const promptSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("file"),
      file: z
        .string()
        .trim()
        .min(1, "Choose a sound file")
        .max(500)
        .describe(
          "Sound file path or FreeSWITCH stream, e.g. ivr/ivr-welcome.wav; {placeholders} allowed",
        ),
    }),
    z.object({
      kind: z.literal("speech"),
      text: z
        .string()
        .trim()
        .min(1, "Enter the text to speak")
        .max(2000)
        .describe("Text spoken to the caller; {position}, {ewt}, {caller_id_number}... allowed"),
      voice: z
        .string()
        .trim()
        .min(1)
        .max(100)
        .optional()
        .describe("Text-to-speech voice (the switch's default when empty)"),
    }),
  ])
  .describe("A sound file or text to speak");

/** A parsed {@link promptSchema}. */
export type Prompt = z.output<typeof promptSchema>;

/** The text of a prompt that placeholders are read from: the file path or the spoken text. */
export function promptTemplate(prompt: Prompt): string {
  return prompt.kind === "file" ? prompt.file : prompt.text;
}
