import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { postgresSchemaPath, sourceSchemaPath } from "../src/paths.js";
import { recoverSourceSchema, renderPostgresSchema } from "./schema-variants.js";

describe("the PostgreSQL schema", () => {
  it("is the committed rendering of prisma/schema.prisma (else: run migration:create)", async () => {
    const source = await readFile(sourceSchemaPath, "utf8");
    expect(await readFile(postgresSchemaPath, "utf8")).toBe(renderPostgresSchema(source));
  });

  it("swaps only the provider and the client output, and back", async () => {
    const source = await readFile(sourceSchemaPath, "utf8");
    const rendered = renderPostgresSchema(source);
    expect(rendered).toContain('provider = "postgresql"');
    expect(rendered).toContain('"../../packages/db/src/generated/postgresql"');
    expect(rendered).not.toContain('"sqlite"');
    expect(recoverSourceSchema(rendered)).toBe(source);
  });

  it("refuses a source it cannot render faithfully", () => {
    expect(() => renderPostgresSchema('datasource db {\n  provider = "mysql"\n}\n')).toThrow(
      /provider/,
    );
    expect(() => recoverSourceSchema("// edited by hand\n")).toThrow(/by hand/);
  });
});
