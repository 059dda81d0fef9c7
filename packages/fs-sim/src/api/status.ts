import type { SimCore } from "../core/sim-core.js";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The `status` API body, in FreeSWITCH 1.10.12's layout. */
export function statusText(core: SimCore): string {
  let us = Math.max(0, Math.floor((core.clock.now() - core.startedAt) * 1000));
  const parts: Array<[number, string]> = [];
  const take = (unit: number) => {
    const v = Math.floor(us / unit);
    us -= v * unit;
    return v;
  };
  const year = 365 * 24 * 3600e6;
  const day = 24 * 3600e6;
  parts.push([take(year), "year"], [take(day), "day"], [take(3600e6), "hour"]);
  parts.push(
    [take(60e6), "minute"],
    [take(1e6), "second"],
    [take(1e3), "millisecond"],
    [us, "microsecond"],
  );
  const up = parts.map(([n, w]) => plural(n, w)).join(", ");
  return (
    `UP ${up}\n` +
    "FreeSWITCH (Version 1.10.12-release  64bit) is ready\n" +
    `${core.totalSessions} session(s) since startup\n` +
    `${core.count} session(s) - peak ${core.peakSessions}, last 5min ${core.peakSessions} \n` +
    "0 session(s) per Sec out of max 30, peak 0, last 5min 0 \n" +
    "1000 session(s) max\n" +
    "min idle cpu 0.00/100.00\n" +
    "Current Stack Size/Max 240K/8192K\n"
  );
}
