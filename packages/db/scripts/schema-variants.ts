/**
 * The PostgreSQL schema is the SQLite schema with two lines changed: the
 * datasource provider and the generated client's output folder (one level
 * deeper, since the rendered file lives in prisma/postgresql/). Anything else
 * provider-specific in the source would break the "one text, two providers"
 * rule, so both directions insist on finding exactly the lines they swap.
 */
const HEADER = [
  "// GENERATED from ../schema.prisma by `pnpm --filter @ringflow/db migration:create`.",
  "// Do not edit: change ../schema.prisma and create a migration instead.",
  "// This rendering targets PostgreSQL; the comments below are the source's, which targets SQLite.",
  "",
].join("\n");

const SWAPS: ReadonlyArray<{ name: string; sqlite: string; postgresql: string }> = [
  { name: "provider", sqlite: '"sqlite"', postgresql: '"postgresql"' },
  {
    name: "output",
    sqlite: '"../packages/db/src/generated/sqlite"',
    postgresql: '"../../packages/db/src/generated/postgresql"',
  },
];

function swap(text: string, from: "sqlite" | "postgresql", to: "sqlite" | "postgresql"): string {
  let result = text;
  for (const line of SWAPS) {
    const pattern = new RegExp(`^(\\s*${line.name}\\s*=\\s*)${escapeRegExp(line[from])}$`, "gm");
    const count = text.match(pattern)?.length ?? 0;
    if (count !== 1) {
      throw new Error(
        `Expected exactly one \`${line.name} = ${line[from]}\` line in the ${from} schema, found ${count}.`,
      );
    }
    result = result.replace(pattern, `$1${line[to]}`);
  }
  return result;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Renders prisma/postgresql/schema.prisma from the text of prisma/schema.prisma. */
export function renderPostgresSchema(source: string): string {
  return HEADER + swap(source, "sqlite", "postgresql");
}

/**
 * Recovers the text of prisma/schema.prisma that `postgres` was rendered
 * from: the committed PostgreSQL schema therefore also records the SQLite
 * datamodel as of the newest migration.
 */
export function recoverSourceSchema(postgres: string): string {
  if (!postgres.startsWith(HEADER)) {
    throw new Error("The PostgreSQL schema lacks its GENERATED header: it was edited by hand.");
  }
  return swap(postgres.slice(HEADER.length), "postgresql", "sqlite");
}
