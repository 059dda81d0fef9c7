/**
 * @packageDocumentation
 * Helpers for tests that need a real database: each test file creates its
 * own, migrates it and drops it afterwards.
 */
export { type HeldWriteLock, holdSqliteWriteLock } from "./hold-write-lock.js";
export { publishUnchecked } from "./publish-unchecked.js";
export { createTestDatabase, postgresAdminUrl, type TestDatabase } from "./test-database.js";
