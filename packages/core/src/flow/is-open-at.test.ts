import { describe, expect, it } from "vitest";
import { isOpenAt } from "./is-open-at.js";
import { type TimeConditionData, timeConditionDataSchema } from "./nodes/time-condition.js";

function config(data: Record<string, unknown>): TimeConditionData {
  return timeConditionDataSchema.parse(data);
}

function openAt(data: TimeConditionData, ...instants: string[]): boolean[] {
  return instants.map((iso) => isOpenAt(data, new Date(iso)));
}

const weekdaysNineToFive = config({
  timeZone: "Europe/London",
  hours: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "17:00" }],
});

describe("isOpenAt", () => {
  it("is open 24/7 by default", () => {
    const always = config({});
    expect(always.timeZone).toBe("UTC");
    expect(
      openAt(always, "2026-01-05T00:00:00Z", "2026-03-29T01:30:00Z", "2026-12-31T23:59:59Z"),
    ).toEqual([true, true, true]);
  });

  it("is never open with no hours", () => {
    expect(openAt(config({ hours: [] }), "2026-01-05T12:00:00Z")).toEqual([false]);
  });

  it("follows London's wall clock on both sides of the March change", () => {
    // Friday 27 March: GMT, local = UTC.
    expect(
      openAt(
        weekdaysNineToFive,
        "2026-03-27T08:59:00Z",
        "2026-03-27T09:00:00Z",
        "2026-03-27T16:59:00Z",
        "2026-03-27T17:00:00Z",
      ),
    ).toEqual([false, true, true, false]);
    // Monday 30 March: BST, local = UTC + 1.
    expect(
      openAt(
        weekdaysNineToFive,
        "2026-03-30T07:59:00Z",
        "2026-03-30T08:00:00Z",
        "2026-03-30T15:59:00Z",
        "2026-03-30T16:00:00Z",
      ),
    ).toEqual([false, true, true, false]);
  });

  it("opens a range that starts in the skipped hour when the clock reaches it", () => {
    // 29 March 2026: 01:00 GMT becomes 02:00 BST.
    const night = config({
      timeZone: "Europe/London",
      hours: [{ days: ["sun"], from: "01:30", to: "02:30" }],
    });
    expect(
      openAt(night, "2026-03-29T00:59:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:30:00Z"),
    ).toEqual([false, true, false]);
  });

  it("counts both passes of the repeated hour in October", () => {
    // 25 October 2026: 02:00 BST becomes 01:00 GMT, so 01:xx happens twice.
    const night = config({
      timeZone: "Europe/London",
      hours: [{ days: ["sun"], from: "01:00", to: "02:00" }],
    });
    expect(
      openAt(
        night,
        "2026-10-24T23:59:00Z", // 00:59 BST
        "2026-10-25T00:30:00Z", // 01:30 BST
        "2026-10-25T01:30:00Z", // 01:30 GMT
        "2026-10-25T02:00:00Z", // 02:00 GMT
      ),
    ).toEqual([false, true, true, false]);
  });

  it("follows New York's change too, and half-hour offsets", () => {
    const newYork = config({
      timeZone: "America/New_York",
      hours: [{ days: ["sun"], from: "03:00", to: "04:00" }],
    });
    // 8 March 2026: 02:00 EST becomes 03:00 EDT.
    expect(openAt(newYork, "2026-03-08T06:59:00Z", "2026-03-08T07:00:00Z")).toEqual([false, true]);
    const kolkata = config({
      timeZone: "Asia/Kolkata",
      hours: [{ days: ["mon"], from: "09:00", to: "17:00" }],
    });
    expect(openAt(kolkata, "2026-01-05T03:29:00Z", "2026-01-05T03:30:00Z")).toEqual([false, true]);
  });

  it("runs a range past midnight into the next day", () => {
    const nights = config({
      timeZone: "Europe/London",
      hours: [{ days: ["fri"], from: "22:00", to: "06:00" }],
    });
    expect(
      openAt(
        nights,
        "2026-01-09T21:59:00Z", // Fri 21:59
        "2026-01-09T22:00:00Z", // Fri 22:00
        "2026-01-10T05:59:00Z", // Sat 05:59
        "2026-01-10T06:00:00Z", // Sat 06:00
        "2026-01-10T23:00:00Z", // Sat 23:00: Saturday is not listed
        "2026-01-09T03:00:00Z", // Fri 03:00: Thursday is not listed
      ),
    ).toEqual([false, true, true, false, false, false]);
  });

  it("wraps from Sunday night into Monday morning", () => {
    const nights = config({ hours: [{ days: ["sun"], from: "22:00", to: "02:00" }] });
    expect(openAt(nights, "2026-01-05T01:00:00Z", "2026-01-06T01:00:00Z")).toEqual([true, false]);
  });

  it("reads 24:00 and an overnight 00:00 as midnight", () => {
    const evening = config({ hours: [{ days: ["fri"], from: "18:00", to: "00:00" }] });
    const lateEvening = config({ hours: [{ days: ["fri"], from: "18:00", to: "24:00" }] });
    for (const c of [evening, lateEvening]) {
      expect(openAt(c, "2026-01-09T23:59:00Z", "2026-01-10T00:00:00Z")).toEqual([true, false]);
    }
  });

  it("closes on holidays, once or every year, by the local date", () => {
    const shop = config({
      timeZone: "America/New_York",
      holidays: [{ date: "2026-12-25", label: "Christmas" }, { date: "01-01" }],
    });
    expect(
      openAt(
        shop,
        "2026-12-25T03:00:00Z", // 24 Dec, 22:00 in New York
        "2026-12-26T03:00:00Z", // 25 Dec, 22:00 in New York
        "2027-12-25T15:00:00Z", // a one-off holiday does not recur
        "2027-01-01T15:00:00Z",
        "2028-01-01T15:00:00Z",
      ),
    ).toEqual([true, false, true, false, false]);
  });

  it("closes the part of an overnight range that spills into a holiday", () => {
    const nights = config({
      timeZone: "Europe/London",
      hours: [{ days: ["thu"], from: "22:00", to: "06:00" }],
      holidays: [{ date: "2026-12-25" }],
    });
    expect(openAt(nights, "2026-12-24T23:00:00Z", "2026-12-25T01:00:00Z")).toEqual([true, false]);
  });
});

describe("time condition config", () => {
  const zone = (timeZone: string) => timeConditionDataSchema.safeParse({ timeZone }).success;

  it("accepts IANA time zone names and their aliases", () => {
    expect(
      ["Europe/London", "America/Argentina/Buenos_Aires", "UTC", "US/Eastern"].map(zone),
    ).toEqual([true, true, true, true]);
  });

  it("refuses unknown zones and bare offsets", () => {
    expect(["Mars/Olympus_Mons", "+01:00", "GMT+1:00", "", "Europe/"].map(zone)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it("refuses malformed ranges, pointing at the field", () => {
    const paths = (hours: unknown[]) =>
      timeConditionDataSchema.safeParse({ hours }).error?.issues.map((i) => i.path.join("."));
    expect(paths([{ days: ["mon"], from: "09:00", to: "09:00" }])).toEqual(["hours.0.to"]);
    expect(paths([{ days: ["mon"], from: "24:00", to: "09:00" }])).toEqual(["hours.0.from"]);
    expect(paths([{ days: ["mon"], from: "9:00", to: "17:00" }])).toEqual(["hours.0.from"]);
    expect(paths([{ days: ["mon"], from: "09:00", to: "24:01" }])).toEqual(["hours.0.to"]);
    expect(paths([{ days: [], from: "09:00", to: "17:00" }])).toEqual(["hours.0.days"]);
    expect(paths([{ days: ["mon", "mon"], from: "09:00", to: "17:00" }])).toEqual(["hours.0.days"]);
    expect(paths([{ days: ["monday"], from: "09:00", to: "17:00" }])).toEqual(["hours.0.days.0"]);
  });

  it("refuses dates that do not exist", () => {
    const ok = (date: string) =>
      timeConditionDataSchema.safeParse({ holidays: [{ date }] }).success;
    expect(["2026-12-25", "12-25", "02-29", "2028-02-29"].map(ok)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(["2026-02-29", "2026-13-01", "13-01", "2026-1-5", "Christmas"].map(ok)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
