import { describe, expect, it } from "vitest";
import { RedisBackend, type RedisBackendOptions } from "./redis-backend.js";

// Every case is refused before a connection is made: no Redis is needed.
const refused: Array<[string, RedisBackendOptions, RegExp]> = [
  ["leaseMs 0", { leaseMs: 0 }, /leaseMs/],
  ["leaseMs 1", { leaseMs: 1 }, /leaseMs/],
  ["leaseMs NaN", { leaseMs: Number.NaN }, /leaseMs/],
  ["leaseMs fractional", { leaseMs: 1500.5 }, /leaseMs/],
  ["connectTimeoutMs -1", { connectTimeoutMs: -1 }, /connectTimeoutMs/],
  ["connectTimeoutMs Infinity", { connectTimeoutMs: Number.POSITIVE_INFINITY }, /connectTimeoutMs/],
  ["commandTimeoutMs 0", { commandTimeoutMs: 0 }, /commandTimeoutMs/],
  ["outageGraceMs -5", { outageGraceMs: -5 }, /outageGraceMs/],
  ["an empty keyPrefix", { keyPrefix: "" }, /keyPrefix/],
  ["a URL that is not redis://", { url: "http://127.0.0.1:6379" }, /url/],
  ["a URL that does not parse", { url: "not a url" }, /url/],
  ["onError not a function", { onError: "log" as never }, /onError/],
  ["a clock without setTimeout", { clock: { now: () => 0 } as never }, /clock/],
];

describe("RedisBackend options", () => {
  it.each(refused)("refuses %s with a RangeError naming the option", (_, options, name) => {
    let created: RedisBackend | undefined;
    try {
      created = new RedisBackend({ url: "redis://127.0.0.1:1", ...options });
    } catch (error) {
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toMatch(name);
      return;
    } finally {
      void created?.close();
    }
    expect.fail("the backend was created");
  });
});
