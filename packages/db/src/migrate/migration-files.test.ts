import { describe, expect, it } from "vitest";
import { MigrationError } from "../errors.js";
import { type AppliedMigration, type MigrationFile, planMigrations } from "./migration-files.js";

const files: MigrationFile[] = [
  { name: "001_init", sql: "a", checksum: "ca" },
  { name: "002_more", sql: "b", checksum: "cb" },
];

function applied(name: string, overrides: Partial<AppliedMigration> = {}): AppliedMigration {
  const checksum = files.find((file) => file.name === name)?.checksum ?? "c?";
  return { migrationName: name, checksum, finished: true, rolledBack: false, ...overrides };
}

describe("planMigrations", () => {
  it("plans every migration for a new database and none for a current one", () => {
    expect(planMigrations(files, []).map((file) => file.name)).toEqual(["001_init", "002_more"]);
    expect(planMigrations(files, [applied("001_init"), applied("002_more")])).toEqual([]);
  });

  it("re-plans a rolled-back migration and ignores ones it does not know", () => {
    const plan = planMigrations(files, [
      applied("001_init"),
      applied("002_more", { rolledBack: true, finished: false }),
      applied("003_from_a_newer_release"),
    ]);
    expect(plan.map((file) => file.name)).toEqual(["002_more"]);
  });

  it("refuses a changed file and an unresolved failed migration", () => {
    expect(() => planMigrations(files, [applied("001_init", { checksum: "other" })])).toThrow(
      MigrationError,
    );
    expect(() => planMigrations(files, [applied("001_init", { finished: false })])).toThrow(
      /failed earlier/,
    );
  });
});
