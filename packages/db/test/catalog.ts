import { databaseProvider } from "../src/database-url.js";
import { queryRaw } from "./raw-sql.js";

/**
 * A provider-native description of a database's tables (columns, indexes,
 * keys), leaving out Prisma's bookkeeping table and column order (a column
 * added by a later migration comes last, one created from scratch does not).
 * Two databases with equal descriptions have the same schema as far as
 * Prisma's datamodel can tell.
 */
export async function describeSchema(url: string): Promise<unknown> {
  return databaseProvider(url) === "sqlite" ? describeSqlite(url) : describePostgres(url);
}

async function describeSqlite(url: string): Promise<unknown> {
  const tables = await queryRaw(
    url,
    `SELECT name FROM sqlite_master WHERE type = 'table'
       AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name`,
  );
  const description: Record<string, unknown> = {};
  for (const { name } of tables) {
    const table = String(name);
    const columns = await queryRaw(
      url,
      `SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info('${table}') ORDER BY name`,
    );
    const indexes = await queryRaw(
      url,
      `SELECT l.name, l."unique", l.origin, l.partial,
              (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info(l.name) ORDER BY seqno)) AS columns
         FROM pragma_index_list('${table}') l ORDER BY l.name`,
    );
    const foreignKeys = await queryRaw(
      url,
      `SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list('${table}')
        ORDER BY "from"`,
    );
    description[table] = { columns, indexes, foreignKeys };
  }
  return description;
}

async function describePostgres(url: string): Promise<unknown> {
  const columns = await queryRaw(
    url,
    `SELECT table_name, column_name, data_type, is_nullable, column_default,
            character_maximum_length, numeric_precision, datetime_precision
       FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
      ORDER BY table_name, column_name`,
  );
  const indexes = await queryRaw(
    url,
    `SELECT tablename, indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
      ORDER BY tablename, indexname`,
  );
  const constraints = await queryRaw(
    url,
    `SELECT conrelid::regclass::text AS "table", conname, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '"_prisma_migrations"'
        AND conrelid::regclass::text <> '_prisma_migrations'
      ORDER BY 1, 2`,
  );
  return { columns, indexes, constraints };
}
