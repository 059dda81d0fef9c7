import { splitArgs } from "../api/dial-string.js";
import type { Session } from "../core/session.js";
import { playFile } from "./playback.js";

/** Options of one `switch_ivr_read` round. */
interface ReadOptions {
  min: number;
  max: number;
  prompt: string | undefined;
  timeoutMs: number;
  terminators: string;
  digitTimeoutMs: number;
}

type ReadStatus = "success" | "timeout" | "hangup";

/**
 * `switch_ivr_read`: plays the prompt (DTMF interrupts it), then collects
 * digits until `max`, a terminator, the first-digit timeout or the
 * inter-digit timeout.
 */
async function read(
  s: Session,
  o: ReadOptions,
): Promise<{ status: ReadStatus; digits: string; terminator?: string }> {
  let digits = "";
  if (o.prompt) {
    const r = await playFile(s, o.prompt, { stopOn: () => s.dtmf.length > 0 });
    if (r === "hangup") return { status: "hangup", digits };
  }
  let wait = o.timeoutMs;
  for (;;) {
    while (s.dtmf.length > 0) {
      const d = s.dtmf.shift() as string;
      if (o.terminators.includes(d)) return { status: "success", digits, terminator: d };
      digits += d;
      if (digits.length >= o.max) return { status: "success", digits };
      wait = o.digitTimeoutMs;
    }
    if (!s.ready) return { status: "hangup", digits };
    const r = await s.mediaWait(wait, { until: () => s.dtmf.length > 0 });
    s.breakRequested = false;
    if (r === "down") return { status: "hangup", digits };
    if (r === "timeout") return { status: "timeout", digits };
  }
}

/**
 * `play_and_get_digits <min> <max> <tries> <timeout_ms> <terminators> <file>
 * <invalid_file> <var> <regex> [digit_timeout_ms] ['<ext> [dp [ctx]]']`.
 * Valid input goes to `<var>`; input failing the regex to `<var>_invalid`;
 * after the last try a failure extension, if given, is transferred to.
 */
export async function playAndGetDigits(s: Session, arg: string | undefined): Promise<void> {
  const a = splitArgs(arg ?? "");
  const min = Number.parseInt(a[0] ?? "0", 10) || 0;
  const max = Number.parseInt(a[1] ?? "", 10) || min || 1;
  let tries = Number.parseInt(a[2] ?? "", 10) || 1;
  const timeoutMs = Number.parseInt(a[3] ?? "", 10) || 1000;
  const terminators = a[4] === "none" ? "" : (a[4] ?? "#");
  const prompt = a[5];
  const invalid = a[6] && a[6] !== "silence_stream://250" ? a[6] : undefined;
  const varName = a[7];
  const regex = a[8];
  const digitTimeoutMs = Number.parseInt(a[9] ?? "", 10) || timeoutMs;
  const failure = a[10];
  const ch = s.channel;
  if (regex && varName) ch.setVar(`${varName}_invalid`, null);
  while (s.ready && tries > 0) {
    const r = await read(s, { min, max, prompt, timeoutMs, terminators, digitTimeoutMs });
    if (r.status === "hangup") return;
    if (r.terminator) ch.setVar("read_terminator_used", r.terminator);
    const ok = r.digits.length >= min && (r.status === "success" || r.digits.length > 0);
    if (ok && r.digits.length > 0) {
      if (!regex || safeMatch(regex, r.digits)) {
        if (varName) ch.setVar(varName, r.digits);
        return;
      }
      if (varName) {
        ch.setVar(varName, null);
        ch.setVar(`${varName}_invalid`, r.digits);
      }
    } else if (min === 0 && r.terminator) {
      return;
    }
    tries--;
    if (tries > 0 && invalid && s.ready)
      await playFile(s, invalid, { stopOn: () => s.dtmf.length > 0 });
  }
  if (failure && s.ready) {
    const [ext, dp, ctx] = failure.split(/\s+/);
    s.data.set("transfer_to", { ext, dp, ctx });
    const transfer = s.host.app("transfer");
    if (transfer && ext) await transfer(s, [ext, dp, ctx].filter(Boolean).join(" "));
  }
}

function safeMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern.replace(/^\/|\/$/g, "")).test(value);
  } catch {
    return false;
  }
}
