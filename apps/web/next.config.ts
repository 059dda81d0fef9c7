import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The database layer loads Prisma's generated client and a native SQLite
  // addon, and the Redis announcer needs ioredis: Node loads them as they
  // are instead of bundling them into the server build.
  serverExternalPackages: ["@ringflow/db", "better-sqlite3", "pg", "ioredis"],
  poweredByHeader: false,
  typedRoutes: false,
  // Typechecking and linting run in `pnpm test` (tsc, Biome), not in the build.
  typescript: { ignoreBuildErrors: true },
  // `next dev` would otherwise write an AGENTS.md into the package on every start.
  agentRules: false,
  experimental: { agentUpgrade: false },
};

export default nextConfig;
