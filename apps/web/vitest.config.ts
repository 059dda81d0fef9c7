import { fileURLToPath } from "node:url";
import { defineConfig, mergeConfig } from "vitest/config";
import { sharedConfig } from "../../vitest.shared.js";

export default mergeConfig(
  sharedConfig,
  defineConfig({
    resolve: {
      alias: {
        "@": fileURLToPath(new URL("./src", import.meta.url)),
        "server-only": fileURLToPath(new URL("./test/empty-module.ts", import.meta.url)),
      },
    },
    test: { include: ["src/**/*.test.ts", "test/**/*.test.ts"], testTimeout: 30_000 },
  }),
);
