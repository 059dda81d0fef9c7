import { type TimeConditionData, type Weekday, weekdays } from "./nodes/time-condition.js";

interface LocalTime {
  /** `YYYY-MM-DD` */
  readonly date: string;
  readonly weekday: Weekday;
  /** Minutes since local midnight, 0-1439. */
  readonly minute: number;
}

// Building a DateTimeFormat costs far more than using one; a worker evaluates
// the same few zones for every call.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock date and time at `instant` in `timeZone`, as the tz database has it. */
function localTimeAt(timeZone: string, instant: Date): LocalTime {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  // getUTCDay: 0 = Sunday; weekdays[] starts on Monday.
  const weekday = weekdays[(new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7];
  if (weekday === undefined)
    throw new RangeError(`cannot read a date from ${instant.toISOString()}`);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

function minutesOf(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

function previousDay(day: Weekday): Weekday {
  return weekdays[(weekdays.indexOf(day) + 6) % 7] as Weekday;
}

/**
 * Whether a `timeCondition` is open at `instant`.
 *
 * Hours are wall-clock times in the config's time zone, read through `Intl`,
 * so DST needs no special case: on the night clocks go forward a range
 * starting in the skipped hour opens when the clock reaches it, and in the
 * repeated hour of the autumn change both passes count. A range whose `to`
 * is earlier than its `from` runs past midnight into the next day (belonging
 * to the day it starts on). A holiday closes its whole local date, including
 * the part of an overnight range that spills into it.
 */
export function isOpenAt(config: TimeConditionData, instant: Date): boolean {
  const local = localTimeAt(config.timeZone, instant);
  const monthDay = local.date.slice(5);
  if (config.holidays.some((h) => h.date === local.date || h.date === monthDay)) return false;
  const yesterday = previousDay(local.weekday);
  return config.hours.some((range) => {
    const from = minutesOf(range.from);
    const to = minutesOf(range.to);
    if (from < to)
      return range.days.includes(local.weekday) && local.minute >= from && local.minute < to;
    return (
      (range.days.includes(local.weekday) && local.minute >= from) ||
      (range.days.includes(yesterday) && local.minute < to)
    );
  });
}
