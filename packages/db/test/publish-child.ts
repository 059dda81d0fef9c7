/**
 * Child process of the cross-process publish test: publishes the flow
 * `count` times at once through its own connection and prints the numbers.
 * Usage: publish-child.ts <url> <flowId> <count>
 */
import { createDb } from "../src/create-db.js";

const [url, flowId, count] = process.argv.slice(2);
if (!url || !flowId || !count) throw new Error("usage: publish-child.ts <url> <flowId> <count>");
const db = await createDb({ url });
try {
  const versions = await Promise.all(
    Array.from({ length: Number(count) }, () =>
      db.versions.publish({ flowId, publishedBy: `pid ${process.pid}` }),
    ),
  );
  console.log(JSON.stringify(versions.map((version) => version.version)));
} finally {
  await db.close();
}
