/**
 * `pnpm --filter @ringflow/db seed`: migrates the database at DATABASE_URL
 * (default: ringflow.db at the repository root) and seeds the demo with
 * core's demo flow, validated as every published graph is.
 */
import { createDemoFlow, parseFlowGraph } from "@ringflow/core/flow";
import { createDb } from "../create-db.js";
import { defaultDatabaseUrl } from "../database-url.js";
import { migrateDatabase } from "../migrate/migrate-database.js";
import { DEMO_NUMBER, seedDemo } from "../seed/seed-demo.js";

const url = process.env.DATABASE_URL ?? defaultDatabaseUrl;
await migrateDatabase({ url });
const db = await createDb({ url, parseGraph: parseFlowGraph });
try {
  const seed = await seedDemo(db, { graph: createDemoFlow() });
  console.log(
    seed.created
      ? `Seeded the demo: ${DEMO_NUMBER} runs flow ${seed.flowId}.`
      : `The demo is already there: ${DEMO_NUMBER} runs flow ${seed.flowId}.`,
  );
} finally {
  await db.close();
}
