import { defineConfig, mergeConfig } from "vitest/config";
import { sharedConfig } from "../../vitest.shared.js";

/** Suites that also run against a local 3-master Redis Cluster (see docs/redis.md). */
const clusterSuites = [
  "src/**/*.cluster.test.ts",
  "src/queue/redis/lua-scripts.redis.test.ts",
  "src/redis/live-store.redis.test.ts",
];

export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      projects: [
        {
          extends: true,
          test: { name: "core", exclude: ["**/node_modules/**", "**/*.cluster.test.ts"] },
        },
        {
          extends: true,
          test: {
            name: "cluster",
            include: clusterSuites,
            globalSetup: ["test/redis-cluster-setup.ts"],
          },
        },
      ],
    },
  }),
);
