import { defineConfig, mergeConfig } from "vitest/config";
import { sharedConfig } from "../../vitest.shared.js";

export default mergeConfig(
  sharedConfig,
  // The chaos soak has a config of its own (vitest.soak.config.ts), run after these.
  defineConfig({ test: { exclude: ["soak/**", "node_modules/**", "dist/**"] } }),
);
