import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

/**
 * Shared vitest settings: resolve workspace packages to their TypeScript
 * sources (the `@ringflow/source` export condition) so tests never need a
 * prior build, and give integration tests room to talk to real services.
 */
export const sharedConfig = defineConfig({
  resolve: { conditions: ["@ringflow/source", ...defaultServerConditions] },
  ssr: { resolve: { conditions: ["@ringflow/source", ...defaultServerConditions] } },
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
