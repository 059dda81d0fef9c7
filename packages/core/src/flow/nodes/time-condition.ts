import { z } from "zod";
import { nodeLabelSchema } from "../fields.js";
import { defineNodeType } from "../node-type.js";

/** Days of the week, as the schema spells them (Monday first). */
export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** One of {@link weekdays}. */
export type Weekday = (typeof weekdays)[number];

/**
 * True when `name` is an IANA time zone this runtime knows (aliases such as
 * `US/Eastern` included). Offsets like `+01:00` are refused: they have no DST
 * rules, and browsers and Node disagree on accepting them.
 */
export function isValidTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const clockTime = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

const openingRangeSchema = z
  .object({
    days: z
      .array(z.enum(weekdays))
      .min(1, "Choose at least one day")
      .refine((days) => new Set(days).size === days.length, "A day is listed twice")
      .describe("Days this range starts on"),
    from: z
      .string()
      .regex(clockTime, "Use HH:MM, 00:00 to 23:59")
      .describe("Opening time, local HH:MM (24-hour clock)"),
    to: z
      .string()
      .refine((s) => clockTime.test(s) || s === "24:00", "Use HH:MM, 00:00 to 24:00")
      .describe(
        "Closing time, local HH:MM; 24:00 is midnight; earlier than 'from' runs past midnight",
      ),
  })
  .refine((r) => r.from !== r.to, {
    path: ["to"],
    message: "Closing time equals opening time; use 00:00 to 24:00 for a whole day",
  });

/** A weekly opening range: from `from` on each of `days` until `to` (the next day when `to` < `from`). */
export type OpeningRange = z.output<typeof openingRangeSchema>;

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

const holidaySchema = z.object({
  date: z
    .string()
    .refine((s) => {
      const full = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
      if (full) return isRealDate(Number(full[1]), Number(full[2]), Number(full[3]));
      const yearly = /^(\d{2})-(\d{2})$/.exec(s);
      // 2000 is a leap year, so 02-29 is accepted as a yearly date.
      return yearly !== null && isRealDate(2000, Number(yearly[1]), Number(yearly[2]));
    }, "Use YYYY-MM-DD for one date or MM-DD for every year")
    .describe("Closed all day (local time): YYYY-MM-DD once, or MM-DD every year"),
  label: z.string().trim().max(80).optional().describe("e.g. Christmas Day"),
});

/** Config of a `timeCondition` node. */
export const timeConditionDataSchema = z.object({
  label: nodeLabelSchema,
  timeZone: z
    .string()
    .default("UTC")
    .refine(isValidTimeZone, "Not a known IANA time zone, e.g. Europe/London")
    .describe("IANA time zone the hours are in, e.g. Europe/London"),
  hours: z
    .array(openingRangeSchema)
    .max(50)
    .default([{ days: [...weekdays], from: "00:00", to: "24:00" }])
    .describe("Weekly opening hours; none means always closed; the default is open 24/7"),
  holidays: z
    .array(holidaySchema)
    .max(366)
    .default([])
    .describe("Dates closed all day, whatever the weekly hours say"),
});

/** A parsed `timeCondition` node config. */
export type TimeConditionData = z.output<typeof timeConditionDataSchema>;

/** Branches on whether the flow is open now, in its own time zone. */
export const timeConditionNodeType = defineNodeType({
  type: "timeCondition",
  label: "Opening hours",
  description: "Branches on weekly opening hours and holidays, in a chosen time zone.",
  icon: "clock",
  category: "routing",
  dataSchema: timeConditionDataSchema,
  defaultData: {
    timeZone: "UTC",
    hours: [{ days: [...weekdays], from: "00:00", to: "24:00" }],
    holidays: [],
  },
  outputs: () => [
    { id: "open", label: "Open", description: "Within opening hours" },
    { id: "closed", label: "Closed", description: "Outside opening hours, or on a holiday" },
  ],
  terminal: false,
  waits: false,
  acceptsInput: true,
});
