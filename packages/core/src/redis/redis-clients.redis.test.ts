import { afterEach, describe, expect, it, vi } from "vitest";
import { freePort } from "../../test/redis-server.js";
import { RedisAgentRegistry } from "../agents/redis-agent-registry.js";
import { RedisLoadBalancer } from "../balancer/redis-load-balancer.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the Redis clients of the balancer and the agent registry", () => {
  it.each([
    [
      "RedisLoadBalancer",
      (url: string, onError: (e: unknown) => void) => new RedisLoadBalancer({ url, onError }),
    ],
    [
      "RedisAgentRegistry",
      (url: string, onError: (e: unknown) => void) => new RedisAgentRegistry({ url, onError }),
    ],
  ] as const)(
    "%s reports a lost Redis to onError, never as ioredis's unhandled error event",
    async (_, create) => {
      const printed = vi.spyOn(console, "error").mockImplementation(() => {});
      const errors: unknown[] = [];
      const client = create(`redis://127.0.0.1:${await freePort()}`, (error) => errors.push(error));
      await sleep(600);
      await client.close();
      const unhandled = printed.mock.calls.filter((args) => String(args[0]).includes("[ioredis]"));
      expect(unhandled).toEqual([]);
      expect(errors.length).toBeGreaterThan(0);
    },
  );
});
