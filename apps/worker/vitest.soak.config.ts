import { defineConfig, mergeConfig } from "vitest/config";
import { sharedConfig } from "../../vitest.shared.js";

// The soak runs on its own, after the other tests: it keeps both cores busy
// with three worker processes, the simulator and the databases.
export default mergeConfig(
  sharedConfig,
  defineConfig({ test: { include: ["soak/**/*.test.ts"] } }),
);
