import { createServer } from "node:net";
import { FsSim } from "@ringflow/fs-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkFreeswitch, checkPortFree, PreflightError } from "./preflight.js";

let sim: FsSim;
beforeAll(async () => {
  sim = await FsSim.start({ port: 0, password: "s3cret" });
});
afterAll(async () => {
  await sim.stop();
});

describe("checking FreeSWITCH before starting", () => {
  it("passes with the right address and password", async () => {
    await expect(
      checkFreeswitch({ host: "127.0.0.1", port: sim.port, password: "s3cret" }),
    ).resolves.toBeUndefined();
  });

  it("says in one line that the password is wrong", async () => {
    const refused = checkFreeswitch({ host: "127.0.0.1", port: sim.port, password: "ClueCon" });
    await expect(refused).rejects.toBeInstanceOf(PreflightError);
    await expect(refused).rejects.toThrow(/refused the password/);
  });

  it("says nothing listens when the port is closed", async () => {
    const closed = await new Promise<number>((resolve) => {
      // A port just freed: nothing listens there.
      const server = createServer();
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    await expect(
      checkFreeswitch({ host: "127.0.0.1", port: closed, password: "x" }),
    ).rejects.toThrow(/Nothing listens/);
    await expect(checkPortFree(sim.port, "the simulator", "X")).rejects.toThrow(
      /taken by another program/,
    );
    await expect(checkPortFree(closed, "free", "X")).resolves.toBeUndefined();
  });
});
