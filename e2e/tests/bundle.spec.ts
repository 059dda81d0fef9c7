import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";

const chunks = fileURLToPath(new URL("../../apps/web/.next/static/chunks/", import.meta.url));

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]),
    ),
  );
  return nested.flat().filter((f) => f.endsWith(".js"));
}

// What the browser downloads must hold none of the server's Node-only code:
// core's Redis backends (ioredis), the database layer, the sign-in server.
test("the browser bundle reaches neither ioredis nor the database", async () => {
  const scripts = await files(chunks);
  expect(scripts.length).toBeGreaterThan(5);
  const offenders: string[] = [];
  for (const file of scripts) {
    const text = await readFile(file, "utf8");
    for (const marker of [
      "ioredis",
      "better-sqlite3",
      "@prisma/client",
      "PrismaClient",
      "node:crypto",
      "node:fs",
    ]) {
      if (text.includes(marker)) offenders.push(`${file.slice(chunks.length)} contains ${marker}`);
    }
  }
  expect(offenders).toEqual([]);
});
